// The admin's log of actions (admin_logentry): who added, changed or deleted what, and when.
module.exports = {
  dependencies: [['auth', '0001_initial']],
  operations: [
    {
      type: 'createModel',
      name: 'LogEntry',
      table: 'admin_logentry',
      fields: {
        id: { type: 'INTEGER', primaryKey: true, autoIncrement: true, allowNull: false },
        actionTime: { type: 'DATE', allowNull: false, defaultValue: { fn: 'NOW' } },
        userId: { type: 'INTEGER', allowNull: false, references: { table: 'auth_user', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' },
        appLabel: { type: 'STRING(100)', allowNull: false },
        modelName: { type: 'STRING(100)', allowNull: false },
        objectId: { type: 'TEXT', allowNull: true },
        objectRepr: { type: 'STRING(200)', allowNull: false },
        actionFlag: { type: 'INTEGER', allowNull: false },
        changeMessage: { type: 'TEXT', allowNull: false },
      },
    },
  ],
};
