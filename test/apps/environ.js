// Prints the environ, one sorted "KEY=value" line each: strings as JSON with every non-ASCII
// character escaped (so latin-1 decoding shows as \u00XX), other values by their type.
module.exports = function environ(env, startResponse) {
  const show = (value) =>
    typeof value === 'string' || Array.isArray(value) || typeof value === 'boolean'
      ? JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      : `<${value?.constructor?.name}>`;
  const lines = Object.keys(env).sort().map((key) => `${key}=${show(env[key])}\n`);
  lines.unshift(`prototype=${Object.getPrototypeOf(env)}\n`);
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return lines;
};
