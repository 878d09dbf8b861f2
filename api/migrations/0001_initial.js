// The api app's table: tokens (only a SHA-256 of each key), one or more per user.
module.exports = {
  dependencies: [['auth', '0001_initial']],
  operations: [
    {
      type: 'createModel',
      name: 'Token',
      table: 'api_token',
      fields: {
        id: { type: 'INTEGER', primaryKey: true, autoIncrement: true, allowNull: false },
        keyHash: { type: 'STRING(64)', allowNull: false, unique: true },
        prefix: { type: 'STRING(8)', allowNull: false },
        name: { type: 'STRING(100)', allowNull: false, defaultValue: '' },
        created: { type: 'DATE', allowNull: false, defaultValue: { fn: 'NOW' } },
        lastUsed: { type: 'DATE', allowNull: true },
        userId: { type: 'INTEGER', allowNull: false, references: { table: 'auth_user', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
      },
    },
  ],
};
