// A module that exports no app.
exports.notAnApp = 42;
