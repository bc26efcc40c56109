// A fetch handler exported as a function named fetch (CommonJS): served without --app-type.
exports.fetch = (request) => new Response(`named fetch export: ${request.method}\n`);
