// A web-standard fetch handler (the shape Hono, itty-router, Bun and Deno use), served with:
//   node inetd-scgi.cjs examples/fetch.mjs
// The default export's fetch method is the handler: no wrapper code, no --app-type needed.
export default {
  fetch(request) {
    const { pathname } = new URL(request.url);
    return new Response(`Hello world from ${request.method} ${pathname}!\n`, { headers: { 'Content-Type': 'text/plain' } });
  },
};
