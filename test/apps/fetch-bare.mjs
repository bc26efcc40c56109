// A fetch handler as a bare default-exported function: served with --app-type fetch (without it, a
// default-exported function is a PEP 3333 app).
export default (request) => new Response(`bare fetch handler: ${new URL(request.url).pathname}\n`);
