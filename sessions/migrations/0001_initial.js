// The sessions app's table: one row per session (key, serialized data, expiry), as Django's django_session.
module.exports = {
  dependencies: [],
  operations: [
    {
      type: 'createModel', name: 'Session', table: 'sessions_session',
      fields: {
        sessionKey: { type: 'STRING(64)', allowNull: false, primaryKey: true },
        sessionData: { type: 'TEXT', allowNull: false },
        expireDate: { type: 'DATE', allowNull: false },
      },
      indexes: [{ name: 'sessions_session_expire_date', fields: ['expireDate'] }],
    },
  ],
};
