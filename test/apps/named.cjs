// An app exported by name rather than as the default export.
exports.app = (environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return ['named\n'];
};
