// The auth app's tables: users, groups, permissions, their many-to-many links, and failed-login counters.
const id = { type: 'INTEGER', allowNull: false, primaryKey: true, autoIncrement: true };
const fk = (table) => ({ type: 'INTEGER', allowNull: false, references: { table, key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' });

module.exports = {
  dependencies: [],
  operations: [
    {
      type: 'createModel', name: 'Permission', table: 'auth_permission',
      fields: {
        id,
        name: { type: 'STRING(255)', allowNull: false },
        codename: { type: 'STRING(100)', allowNull: false },
        appLabel: { type: 'STRING(100)', allowNull: false },
        model: { type: 'STRING(100)', allowNull: false },
      },
      indexes: [{ name: 'auth_permission_app_codename', fields: ['appLabel', 'codename'], unique: true }],
    },
    {
      type: 'createModel', name: 'Group', table: 'auth_group',
      fields: { id, name: { type: 'STRING(150)', allowNull: false, unique: true } },
    },
    {
      type: 'createModel', name: 'User', table: 'auth_user',
      fields: {
        id,
        password: { type: 'STRING(255)', allowNull: false },
        lastLogin: { type: 'DATE', allowNull: true },
        isSuperuser: { type: 'BOOLEAN', allowNull: false, defaultValue: false },
        username: { type: 'STRING(150)', allowNull: false, unique: true },
        firstName: { type: 'STRING(150)', allowNull: false, defaultValue: '' },
        lastName: { type: 'STRING(150)', allowNull: false, defaultValue: '' },
        email: { type: 'STRING(254)', allowNull: false, defaultValue: '' },
        isStaff: { type: 'BOOLEAN', allowNull: false, defaultValue: false },
        isActive: { type: 'BOOLEAN', allowNull: false, defaultValue: true },
        dateJoined: { type: 'DATE', allowNull: false, defaultValue: { fn: 'NOW' } },
      },
    },
    {
      type: 'createModel', name: 'UserGroups', table: 'auth_user_groups',
      fields: { id, userId: fk('auth_user'), groupId: fk('auth_group') },
      indexes: [{ name: 'auth_user_groups_groupId_userId_unique', fields: ['userId', 'groupId'], unique: true }],
    },
    {
      type: 'createModel', name: 'UserPermissions', table: 'auth_user_user_permissions',
      fields: { id, userId: fk('auth_user'), permissionId: fk('auth_permission') },
      indexes: [{ name: 'auth_user_user_permissions_userId_permissionId_unique', fields: ['userId', 'permissionId'], unique: true }],
    },
    {
      type: 'createModel', name: 'GroupPermissions', table: 'auth_group_permissions',
      fields: { id, groupId: fk('auth_group'), permissionId: fk('auth_permission') },
      indexes: [{ name: 'auth_group_permissions_groupId_permissionId_unique', fields: ['groupId', 'permissionId'], unique: true }],
    },
    {
      type: 'createModel', name: 'LoginAttempt', table: 'auth_loginattempt',
      fields: {
        ident: { type: 'STRING(255)', allowNull: false, primaryKey: true },
        failures: { type: 'INTEGER', allowNull: false, defaultValue: 0 },
        expiresAt: { type: 'DATE', allowNull: false },
      },
    },
  ],
};
