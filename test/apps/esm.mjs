// An ES module app: loaded through import().
export default function app(environ, startResponse) {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return ['esm\n'];
}
