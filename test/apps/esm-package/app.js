// A .js app in a "type": "module" package.
export default (environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return ['esm in a "type": "module" package\n'];
};
