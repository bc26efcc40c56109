"use strict";
// inetd-scgi: runs a Node.js web app behind nginx, Apache or lighttpd, started by a super-server.
//
// A super-server (inetd, xinetd, systemd, ucspi, socat) starts this for a connection (per
// connection) or hands it a listening socket (long-running); the web server speaks SCGI over the
// connection; the app is called as its authors wrote it: a PEP 3333-style function, a fetch handler
// (Hono) or a Node (req, res) listener (Express, Koa, Fastify). Nothing but the response reaches
// the connection: whatever else the process writes goes to the error log.
//
// Entry points:
//   node inetd-scgi.cjs app.js [options]          main(): the command line (--help lists options)
//   require('./inetd-scgi.cjs').runApp(app, {})   runApp(): from the app's own script
// Both call serve(), which picks the mode: one request per process (inetd "nowait", CGI), or
// long-running on a listening socket (inetd "wait", --listen, systemd's sockets).
//
// One request's path, in this file's order:
//   Exchange.run       reads the request (readRequestHead: the netstring and its headers), builds
//                      the environ (buildEnviron; the body streams from RequestBody), calls the app
//   startResponse      checks the status and headers, kept as a ResponseHead until written
//   send               writes the head and the body's chunks in order (Content-Length when known)
//   fail               answers an error: 400, 500 or 504 before the head went out, else logs it
// and the mode ends the connection: serveOne exits the process, serveListeners closes the socket.
//
// Copy this one file next to the app; it needs nothing but Node.js 20.19 or later.
// SPDX-License-Identifier: BSD-2-Clause
Object.defineProperty(exports, "__esModule", { value: true });
exports.VERSION = exports.ErrorLog = exports.RequestBody = exports.BodyError = exports.RequestTimeout = exports.Timeout = exports.SetupError = exports.ProtocolError = exports.Exchange = void 0;
exports.settle = settle;
exports.runApp = runApp;
exports.readRequestHead = readRequestHead;
exports.netstringPrefix = netstringPrefix;
exports.parseHeaders = parseHeaders;
exports.buildEnviron = buildEnviron;
exports.percentDecode = percentDecode;
exports.responseHead = responseHead;
exports.encodeHead = encodeHead;
exports.fdConnection = fdConnection;
exports.socketConnection = socketConnection;
exports.cgiRequest = cgiRequest;
exports.parseAddress = parseAddress;
exports.fetchApp = fetchApp;
exports.listenerApp = listenerApp;
exports.parseArgs = parseArgs;
exports.loadApp = loadApp;
const node_fs_1 = require("node:fs");
const node_events_1 = require("node:events");
const node_path_1 = require("node:path");
const node_url_1 = require("node:url");
const DEFAULTS = {
    scriptName: '',
    maxHeaderBytes: 64 * 1024,
    headerTimeout: 10_000,
    bodyTimeout: 60_000,
    writeTimeout: 60_000,
    idleTimeout: 60_000,
    shutdownTimeout: 10_000,
    maxConnections: 1024,
};
/** Returns the options with the defaults filled in where they are undefined. */
function settle(options = {}) {
    const given = Object.entries(options).filter(([, value]) => value !== undefined);
    // --listen's socket is ours, not a super-server's to take back: it never idles out by default.
    const idleTimeout = options.listen === undefined ? DEFAULTS.idleTimeout : 0;
    return { ...DEFAULTS, idleTimeout, ...Object.fromEntries(given) };
}
// One read's worth: a Linux pipe holds 64 KiB, so bigger reads rarely return more.
const READ_SIZE = 64 * 1024;
// A body (or its first chunk) smaller than this goes out in the same write as the head (one
// syscall, one packet); a bigger one is written separately rather than copied.
const COALESCE_LIMIT = 16 * 1024;
// A request body with more than this still to come is read through a net.Socket when fd 0 is a
// pipe or a socket: libuv reads on the event loop at about twice fs.read's rate through the thread
// pool (1 GiB through a pipe on Node 20: 0.6 s against 1.2 s), which repays loading node:net
// (~4 ms) past ~8 MB.
const SOCKET_READ_MIN = 8 * 1024 * 1024;
// How long to wait before retrying a read or write that found a non-blocking fd not ready. Someone
// else's stream on fd 0 or 1 (process.stdin touched before runApp) makes the fd non-blocking.
const EAGAIN_RETRY_MS = 2;
// Per connection, the first bytes of a response go out with blocking writes: the kernel's socket
// buffers take this much even from a peer that reads nothing (a unix socket ~208 KiB; TCP, the send
// buffer and the peer's receive window), so these writes cannot block for good.
const SYNC_WRITE_LIMIT = 64 * 1024;
// A response still unfinished after this long starts a watch on the connection, so that an app that
// hangs is given up when the web server closes (nginx does after scgi_read_timeout, 60 s). Later
// than most responses take, so that they never pay for the watch: per connection a net.Socket
// (~3 ms), long-running a listener and a read more per request (~9 µs on Node 20, a sixth of a
// hello world).
const WATCH_AFTER_MS = 1000;
// How long an error log that failed to open goes unused before it is tried again.
const LOG_RETRY_MS = 1000;
// ---- Entry points -------------------------------------------------------------------------------
/** Serves app in the mode the options or the environment name, each explicit, never guessed:
 *  - options.listen, options.wait or systemd's LISTEN_FDS: long-running, many connections at once;
 *  - GATEWAY_INTERFACE set (a CGI host started the process): its one CGI request, then exit;
 *  - else inetd per connection: the one SCGI request on fds 0 and 1, then exit. */
function runApp(app, options = {}) {
    serve(() => app, settle(options), listenersFor(options));
}
/** Serves the app that load returns on the listeners, or else the process's one request. */
function serve(load, settings, listeners, what = 'the app') {
    const cgi = listeners === null && process.env.GATEWAY_INTERFACE !== undefined;
    const env = cgi ? { ...process.env } : {}; // under a CGI host, the request
    setEnvironment(cgi);
    if (listeners)
        return serveListeners(listeners, load, settings, what);
    serveOne(load, settings, cgi ? () => cgiRequest(env) : undefined);
}
const ONE_REQUEST = { multithread: false, multiprocess: true, runOnce: true };
/** One request and its response, in the order of PEP 3333 (wsgiref's handler, in small steps). */
class Exchange {
    conn;
    log;
    settings;
    serving;
    clock;
    state = 'reading';
    request = null;
    body = null;
    head = null;
    output = SETTLED; // writes, one after another
    sent = 0; // bytes of the response written so far
    gone = null; // the signal's, made when the app asks for it
    onGone = null; // an adapter's, given to whenGone()
    watched = false; // whether the watch on the connection has started
    closedUnder = null; // why the connection closed before the response ended
    requestRead = null; // made if fail() must wait for the request
    onRequestRead = () => { };
    constructor(conn, log, settings = settle(), serving = ONE_REQUEST) {
        this.conn = conn;
        this.log = log;
        this.settings = settings;
        this.serving = serving;
        this.clock = new Clock(settings.requestTimeout, WATCH_AFTER_MS, () => this.watch());
    }
    /** Reads the request (an SCGI one from the connection, unless given), calls the app and sends
     *  its response; returns how it ended. */
    async run(app, given) {
        if (app instanceof Promise)
            app.catch(() => { }); // awaited below, after the request is read
        let request;
        try {
            const { maxHeaderBytes, headerTimeout } = this.settings;
            const why = () => new Timeout(`no complete header block within ${headerTimeout} ms`);
            request = given?.() ?? await this.clock.limit(headerTimeout, why, (done) => readRequestHead(this.conn, maxHeaderBytes, done));
        }
        catch (err) {
            return this.refuse(err);
        }
        if (request === null) {
            this.clock.stop();
            this.log.line('the connection closed before a request arrived');
            return 'done';
        }
        let result;
        try {
            const environ = this.start(request);
            // Promises only where the app makes them: most apps answer at once, and each promise costs
            // (more so under AsyncLocalStorage's hooks, on Node 20 and 22).
            const call = (loadedApp) => {
                const body = loadedApp(environ, this.startResponse);
                if (!isThenable(body))
                    return this.send((result = body));
                return Promise.resolve(body).then((later) => this.send((result = later)));
            };
            // What an app given up on does later is not waited for.
            await this.clock.bound(app instanceof Promise ? app.then(call) : call(app));
            this.state = 'ended';
            if (this.closedUnder === null)
                return 'done';
            this.log.line('the client went away before the response ended');
            return 'given up';
        }
        catch (err) {
            return await this.fail(err); // awaited: close() comes after the error response
        }
        finally {
            this.clock.stop();
            const closing = close(result, this.log);
            if (closing)
                await closing;
        }
    }
    /** Takes the request that was read, and returns its environ: the app may be called. */
    start(request) {
        this.request = request;
        const { contentLength, bodyStart } = request;
        this.body = new RequestBody(this.conn, contentLength, bodyStart, this.settings.bodyTimeout, this.clock);
        this.state = 'running';
        this.onRequestRead(); // a fail() waiting for the request goes on
        this.clock.started();
        return buildEnviron(request.headers, this.body, this.log.stream, this.settings, this.serving, this);
    }
    /** Returns the request's method and URI, for the log. */
    summary() {
        if (this.request === null)
            return 'a connection whose request had not arrived';
        const h = this.request.headers;
        return `${h.REQUEST_METHOD ?? 'GET'} ${h.REQUEST_URI ?? h.SCRIPT_NAME + h.PATH_INFO}`;
    }
    /** Answers a request that could not be read: 400 (or 431) for a broken one, nothing for a
     *  stalled one. The body of a broken request is not drained: its framing cannot be trusted. */
    async refuse(err) {
        this.state = 'ended';
        this.clock.stop();
        if (!(err instanceof ProtocolError)) {
            this.log.line(`dropping the connection: ${describeBriefly(err)}`);
            return err instanceof Timeout ? 'given up' : 'failed';
        }
        this.log.line(`bad request: ${err.message}${err.detail ? ` (${err.detail})` : ''}`);
        try {
            const answer = plainResponse(err.status, `${err.status}: ${err.message}\n`);
            await promised((done) => this.conn.write(answer, done));
        }
        catch (writeErr) {
            this.log.line(`could not send the ${err.status.slice(0, 3)}: ${describeBriefly(writeErr)}`);
        }
        return 'failed';
    }
    /** Watches the connection from the end of the request body (until then a read of the
     *  connection takes body bytes), for it closing before the response ends. */
    watch() {
        if (this.watched)
            return;
        this.watched = true;
        const listen = () => this.conn.whenClosed?.((failure) => this.closedEarly(failure));
        if (this.body.arrived)
            listen();
        else
            this.body.received.then(listen);
    }
    /** The connection closed before the response ended: the client went away. The app is told by
     *  the signal, if it took it (or an adapter by its whenGone() listener), and then has
     *  WATCH_AFTER_MS to end by itself; else it is given up at once. */
    closedEarly(failure) {
        if (this.state === 'ended')
            return;
        const why = isClientGone(failure) ? failure
            : new Error('the connection closed before the response ended');
        this.closedUnder = why;
        if (this.gone === null && this.onGone === null)
            return this.clock.expire(why);
        this.gone?.abort(failure); // no failure: the standard AbortError
        this.onGone?.(why);
        setTimeout(() => this.clock.expire(why), WATCH_AFTER_MS);
    }
    /** Returns the environ's inetd_scgi.signal, aborted if the connection closes before the
     *  response ends. */
    signal() {
        this.gone ??= new AbortController();
        if (this.closedUnder)
            this.gone.abort(this.closedUnder);
        this.watch();
        return this.gone.signal;
    }
    /** Returns the request's header block as it came (latin-1 text), if it came as SCGI. */
    headerBlock() {
        return this.request?.block;
    }
    /** Tells an adapter's listener if the client goes away before the response ends: watched and
     *  told as the signal is, without making an AbortSignal (~6 µs of a request on Node 20). */
    whenGone(listener) {
        this.onGone = listener;
        this.watch();
    }
    /** PEP 3333's start_response: checks status and headers now, so a bad one fails in the app's
     *  call. */
    startResponse = (status, headers, excInfo) => {
        if (this.state === 'ended') {
            throw new Error('startResponse() was called after the response ended');
        }
        if (excInfo !== undefined && excInfo !== null) {
            if (this.state === 'sending')
                throw excInfo; // too late to replace them: PEP 3333 re-raises
        }
        else if (this.head !== null) {
            throw new Error('startResponse() was called twice; '
                + 'pass the caught error as excInfo to replace the headers');
        }
        this.head = responseHead(status, headers);
        if (this.state === 'running')
            this.state = 'started';
        return this.write;
    };
    /** PEP 3333's write(): queues a chunk; the promise settles when it is out. The first call sends
     *  the head even with an empty chunk, as PEP 3333 says (a way to flush it, for server-sent
     *  events). */
    write = (chunk) => {
        if (this.state === 'ended')
            throw new Error('write() was called after the response ended');
        this.head.mayAddLength = false;
        const sent = this.queue(toBuffer(chunk), true);
        // An app that does not await write() must not cause an unhandled rejection.
        sent.catch(() => { });
        return sent;
    };
    /** Sends the app's body, adding Content-Length when the whole body is known up front (as
     *  wsgiref), unless the app set one or the status forbids one. Not for HEAD: the body an app
     *  returns then is usually empty, and the length is the GET response's. */
    send(result) {
        const chunks = isChunk(result) ? [result] : result;
        if (!isIterable(chunks)) {
            throw new TypeError(`the app returned ${quote(result)}; `
                + 'it must return a string, a Uint8Array, or an iterable of them');
        }
        if (!Array.isArray(chunks))
            return this.stream(chunks);
        const buffers = chunks.map(toBuffer);
        const length = byteLength(buffers);
        if (this.head?.mayAddLength && this.request.headers.REQUEST_METHOD !== 'HEAD') {
            this.head.headers.push(['Content-Length', String(length)]);
        }
        // A small body goes out whole with the head: one write (an empty one: the head only).
        if (length < COALESCE_LIMIT)
            this.queue(Buffer.concat(buffers, length), true, true);
        else
            for (const buffer of buffers)
                this.queue(buffer, false, true);
        return this.output;
    }
    /** Sends a body of unknown length, chunk by chunk as the app makes them. */
    async stream(chunks) {
        for await (const chunk of chunks)
            await this.queue(toBuffer(chunk));
        if (this.state !== 'sending')
            this.queue(EMPTY, true);
        await this.output;
    }
    /** Queues bytes behind earlier writes. The first non-empty chunk (or, if flush, any) sends the
     *  head first. now: the app has returned. With nothing queued the write starts at once then, or
     *  when the body has all been read (while the app runs, a write starting at once would drain the
     *  body under a read it is making). */
    queue(data, flush = false, now = false) {
        if (data.length === 0 && (!flush || this.state === 'sending'))
            return this.output;
        const write = () => (this.state === 'ended' ? undefined // failed: dropped
            : this.state !== 'sending' ? this.sendHead(data)
                : data.length > 0 ? this.bounded(data) : undefined);
        const atOnce = (now || !this.body.unread) && this.output === SETTLED;
        this.output = atOnce ? write() ?? SETTLED : this.output.then(write);
        return this.output;
    }
    /** Drains the unread body, then writes the head with the first bytes of the body. */
    sendHead(data) {
        if (this.head === null)
            throw new Error('the app sent its body before calling startResponse()');
        this.state = 'sending'; // from here startResponse(excInfo) must re-raise
        if (this.body.unread)
            return this.body.drain().then(() => this.writeHead(data));
        return this.writeHead(data);
    }
    /** Writes the head with the first bytes of the body, or before them if they are many. */
    writeHead(data) {
        const head = encodeHead(this.head);
        if (data.length < COALESCE_LIMIT)
            return this.bounded(Buffer.concat([head, data]));
        return this.bounded(head).then(() => this.bounded(data));
    }
    /** Writes data; past the response's first SYNC_WRITE_LIMIT bytes, which the kernel's socket
     *  buffer takes at once, the web server gets --write-timeout to take each write. */
    bounded(data) {
        this.sent += data.length;
        const write = (done) => this.conn.write(data, done);
        if (this.sent <= SYNC_WRITE_LIMIT)
            return promised(write);
        const { writeTimeout } = this.settings;
        const why = `the web server took no response bytes for ${writeTimeout} ms`;
        // ETIMEDOUT: the client is as good as gone.
        const timedOut = () => Object.assign(new Timeout(why), { code: 'ETIMEDOUT' });
        return this.clock.limit(writeTimeout, timedOut, write);
    }
    /** Ends the exchange after an error: logs it, and sends a 500 (a 400, a 504) if no header went
     *  out yet; gives up on the connection when the request or the client cannot be waited for. */
    async fail(err) {
        if (this.state === 'reading') { // a response can only follow the request
            await (this.requestRead ??= new Promise((resolve) => (this.onRequestRead = resolve)));
        }
        if (this.state === 'ended') {
            this.log.line(`error after the response ended: ${describe(err)}`);
            return 'failed';
        }
        // Whether the head went out is known now (sendHead marks it as it begins); the app's writes
        // still queued are dropped.
        const started = this.state === 'sending';
        this.state = 'ended';
        const body = this.body;
        const bodyFailure = err instanceof BodyError ? err : body.failure;
        if (bodyFailure) {
            const why = bodyFailure === err ? bodyFailure.message
                : `reading the request body failed: ${describeBriefly(err)}`;
            this.log.line(`${why}; no response sent`);
            return bodyFailure.timedOut ? 'given up' : 'failed';
        }
        const watched = this.closedUnder !== null; // the app may still be running
        if (isClientGone(err) || watched) {
            this.log.line(`the client went away: ${describeBriefly(err)}`);
            return watched || err instanceof Timeout ? 'given up' : 'failed';
        }
        if (err instanceof RequestTimeout && (started || !body.arrived)) {
            // Out of time: neither a write the web server is slow to take nor the rest of a body still
            // arriving (a client may trickle it a byte at a time) is waited for.
            const why = body.arrived ? 'the response had started, so it is cut short'
                : 'the request body had not all arrived, so the connection is dropped';
            this.log.line(`${err.message}; ${why}`);
            return 'given up';
        }
        const [status, text, why] = errorAnswer(err);
        this.log.line(why);
        if (started) {
            this.log.line('the response had started, so it is cut short');
            return err instanceof RequestTimeout ? 'given up' : 'failed';
        }
        // An error log that cannot be opened would leave the reason nowhere: the answer says so.
        const unlogged = this.log.unopened
            ? 'inetd-scgi: the error log cannot be opened; run with --check\n' : '';
        try {
            await this.output.catch(() => { });
            await body.drain();
            const answer = plainResponse(status, text + unlogged);
            await promised((done) => this.conn.write(answer, done));
        }
        catch (writeErr) {
            this.log.line(`could not send the ${status.slice(0, 3)}: ${describeBriefly(writeErr)}`);
        }
        return err instanceof RequestTimeout ? 'given up' : 'failed'; // the app has not returned
    }
}
exports.Exchange = Exchange;
/** A request's one timer, set for the nearest thing due: the end of a step (the header block, a
 *  body chunk, a write), bounded by the step's own limit; the watch's start (WATCH_AFTER_MS); the
 *  request's deadline (--request-timeout), which no step outlasts. A nearer time resets the timer;
 *  a later one waits for it to fire. It is set no further ahead than the watch's delay, so that the
 *  header block's step leaves it set for the watch: most requests set it once (each timer costs a
 *  request ~3 µs on Node 20). */
class Clock {
    giveUp = null; // bound()'s, once called
    expiredWith = null;
    timer;
    // When each thing is due, in ms on msNow()'s clock; Infinity for nothing.
    timerAt = Infinity;
    stepEnd = Infinity;
    watchAt = Infinity;
    deadline = Infinity;
    // The running step's reject and reason, cleared when it ends. Not a closure of the step: kept
    // by the clock, one kept a third of what a request allocated through minor collections.
    stepFail = null;
    stepWhy = null;
    requestTimeout;
    watchAfter;
    startWatch;
    constructor(requestTimeout, watchAfter = Infinity, startWatch = () => { }) {
        this.requestTimeout = requestTimeout;
        this.watchAfter = watchAfter;
        this.startWatch = startWatch;
    }
    /** The request has arrived: its deadline and the watch's start count from now. */
    started() {
        const now = msNow();
        if (this.requestTimeout)
            this.deadline = now + this.requestTimeout;
        this.watchAt = now + this.watchAfter;
        this.schedule(now);
    }
    /** Returns what start passes to its callback, or rejects with why() if that takes over ms. */
    limit(ms, why, start) {
        return new Promise((resolve, reject) => {
            const now = msNow();
            this.stepEnd = now + ms;
            this.stepFail = reject;
            this.stepWhy = why;
            this.schedule(now);
            start((err, value) => {
                if (this.stepFail === reject)
                    this.endStep(); // the timer stays set for what follows
                if (err)
                    reject(err);
                else
                    resolve(value);
            });
        });
    }
    /** Returns work's result, or rejects if the request is given up first (work goes on unwatched:
     *  an app cannot be stopped). */
    bound(work) {
        return new Promise((resolve, reject) => {
            if (this.expiredWith)
                return reject(this.expiredWith);
            this.giveUp = reject;
            work.then(resolve, reject);
        });
    }
    /** Gives the request up for reason. */
    expire(reason) {
        this.stop();
        this.expiredWith ??= reason;
        this.giveUp?.(reason);
    }
    /** Clears the timer: the request has ended. */
    stop() {
        clearTimeout(this.timer);
        this.timerAt = this.stepEnd = this.watchAt = this.deadline = Infinity;
    }
    /** Sets the timer for the nearest thing due, or watchAfter from now if sooner, unless it is set
     *  for sooner still. */
    schedule(now) {
        const due = Math.min(this.stepEnd, this.watchAt, this.deadline);
        if (due === Infinity)
            return;
        const at = Math.min(due, now + this.watchAfter);
        if (at >= this.timerAt)
            return;
        clearTimeout(this.timer);
        this.timerAt = at;
        this.timer = setTimeout(this.fire, at - now);
    }
    /** Ends the running step: its limit no longer applies. */
    endStep() {
        this.stepEnd = Infinity;
        this.stepFail = this.stepWhy = null;
    }
    /** Does what is due (timers fire to the millisecond), then sets the timer for what is next. */
    fire = () => {
        this.timerAt = Infinity;
        const now = msNow();
        const due = now + 1;
        if (due >= this.deadline)
            return this.expire(new RequestTimeout(this.requestTimeout));
        if (due >= this.stepEnd) {
            const fail = this.stepFail;
            const why = this.stepWhy;
            this.endStep();
            fail(why());
        }
        if (due >= this.watchAt) {
            this.watchAt = Infinity;
            this.startWatch();
        }
        this.schedule(now);
    };
}
/** Returns a monotonic time in ms. Not performance.now(): the performance global loads perf_hooks,
 *  ~1 ms of a process's start. */
function msNow() {
    return process.uptime() * 1000;
}
/** A request that breaks the SCGI rules. message names the rule (safe to send); detail has the
 *  bad value. */
class ProtocolError extends Error {
    detail;
    status;
    constructor(rule, detail = '', status = '400 Bad Request') {
        super(rule);
        this.name = 'ProtocolError';
        this.detail = detail;
        this.status = status;
    }
}
exports.ProtocolError = ProtocolError;
/** The process is set up wrong (a bad command line): answered with a 500 that names the problem,
 *  for the browser and nginx's log; message, with the details, goes to the error log. */
class SetupError extends Error {
    /** The 500's body: what kind of problem, and where to look. */
    answer;
    constructor(problem, message) {
        super(message);
        this.name = 'SetupError';
        this.answer = `inetd-scgi: ${problem}; see the error log\n`;
    }
}
exports.SetupError = SetupError;
/** A limit ran out: on the header block, a body chunk, a write, or the whole request. What it
 *  waited for may still be pending (a read of a silent peer, an app that hangs): it is given up. */
class Timeout extends Error {
    constructor(message) {
        super(message);
        this.name = 'Timeout';
    }
}
exports.Timeout = Timeout;
/** The app did not finish its response within --request-timeout. */
class RequestTimeout extends Timeout {
    constructor(ms) {
        super(`the app did not finish its response within ${ms} ms (--request-timeout)`);
        this.name = 'RequestTimeout';
    }
}
exports.RequestTimeout = RequestTimeout;
/** The request body failed: the connection ended early, or stalled (timedOut). The framing is
 *  lost: no response. */
class BodyError extends Error {
    timedOut;
    constructor(message, timedOut = false) {
        super(message);
        this.name = 'BodyError';
        this.timedOut = timedOut;
    }
}
exports.BodyError = BodyError;
/** Returns the status, body and log line that answer an error before the head went out. An
 *  adapter that finds the request unfit for its app (a fetch Request from a bad Host) says 400. */
function errorAnswer(err) {
    const internal = '500 Internal Server Error';
    if (err instanceof ProtocolError) {
        const why = `bad request: ${err.message} (${err.detail})`;
        return [err.status, `${err.status}: ${err.message}\n`, why];
    }
    if (err instanceof RequestTimeout) {
        const text = '504 Gateway Timeout: the app did not respond in time\n';
        return ['504 Gateway Timeout', text, err.message];
    }
    if (err instanceof SetupError)
        return [internal, err.answer, err.message];
    return [internal, 'Internal Server Error\n', `the app failed: ${describe(err)}`];
}
/** Returns a whole CGI response with a plain-text body. */
function plainResponse(status, text) {
    const head = `Status: ${status}\r\nContent-Type: text/plain; charset=utf-8\r\n`
        + `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n`;
    return Buffer.from(head + text);
}
/** Calls the body's close(), as PEP 3333 requires on success and on error; logs what it throws.
 *  Returns undefined for a body without one. */
function close(result, log) {
    const closable = result;
    if (typeof closable?.close !== 'function')
        return undefined;
    return (async () => closable.close())().then(() => { }, (err) => {
        log.line(`the body's close() failed: ${describe(err)}`);
    });
}
/** Returns a promise of what start passes to its callback. */
function promised(start) {
    return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}
// ---- The request: netstring, headers, body ------------------------------------------------------
const COLON = 0x3a;
const COMMA = 0x2c;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Reads the request head, passing done the head, null when the connection closed before sending
 *  anything, or the error (a ProtocolError for a broken request). */
function readRequestHead(conn, maxHead, done) {
    let buf = EMPTY;
    let have = 0;
    let frame = null;
    const take = (err, chunk) => {
        let head = null;
        try {
            if (err)
                throw err;
            if (chunk === null && have > 0) {
                throw new ProtocolError('the request ended inside the header block', `after ${have} bytes`);
            }
            if (chunk !== null) {
                buf = append(buf, have, chunk, frame === null ? 0 : frame.start + frame.length + 1);
                have += chunk.length;
                frame ??= netstringPrefix(have === buf.length ? buf : buf.subarray(0, have), maxHead);
                if (frame === null || have <= frame.start + frame.length)
                    return conn.read(READ_SIZE, take);
                head = requestHead(buf, have, frame);
            }
        }
        catch (failure) {
            return done(failure, null);
        }
        done(null, head);
    };
    conn.read(READ_SIZE, take);
}
/** Returns the request head in buf's first have bytes, whose netstring frame is whole. */
function requestHead(buf, have, frame) {
    const end = frame.start + frame.length;
    if (buf[end] !== COMMA) {
        const rule = 'the header block must end with ","';
        throw new ProtocolError(rule, `byte ${buf[end]} at offset ${end}`);
    }
    const { headers, contentLength, block } = parseHeaders(buf.subarray(frame.start, end));
    // Bytes past CONTENT_LENGTH are not part of the request: ignored.
    const bodyEnd = Math.min(have, end + 1 + contentLength);
    return { headers, contentLength, bodyStart: buf.subarray(end + 1, bodyEnd), block };
}
/** Returns buf, whose first have bytes are the request so far, with chunk after them: the first
 *  chunk as it is (most requests come in one), else buf or a copy grown to at least size bytes,
 *  the netstring's whole once it is known (a request trickling in is copied once, not per byte). */
function append(buf, have, chunk, size) {
    if (have === 0)
        return chunk;
    if (have + chunk.length > buf.length) {
        buf = Buffer.concat([buf.subarray(0, have)], Math.max(size, have + chunk.length));
    }
    chunk.copy(buf, have);
    return buf;
}
/** Returns the header block's length and start offset, or null while buf ends inside the
 *  length. */
function netstringPrefix(buf, maxHeaderBytes) {
    let length = 0;
    for (let i = 0; i < buf.length; i++) {
        const byte = buf[i];
        if (byte === COLON && i > 0)
            return { start: i + 1, length };
        if (byte < DIGIT_0 || byte > DIGIT_9) {
            const rule = 'the netstring length must be ASCII digits followed by ":"';
            throw new ProtocolError(rule, `byte ${byte} at offset ${i}`);
        }
        if (i === 1 && buf[0] === DIGIT_0) {
            throw new ProtocolError('the netstring length has a leading zero');
        }
        length = length * 10 + (byte - DIGIT_0);
        // Checked digit by digit, so a huge length is refused before anything is read for it.
        if (length > maxHeaderBytes) {
            const rule = `the header block is over ${maxHeaderBytes} bytes`;
            const status = '431 Request Header Fields Too Large';
            throw new ProtocolError(rule, `length so far ${length}`, status);
        }
    }
    return null;
}
/** Returns the headers and CONTENT_LENGTH of a header block (the bytes between ":" and ","), and
 *  the block as text. */
function parseHeaders(bytes) {
    const headers = Object.create(null);
    let contentLength = -1;
    // One string for the block, split at the NULs: a third of the cost of a string per field.
    // latin-1 maps each byte to one character (PEP 3333's rule for environ strings, and Node's), so
    // string offsets are byte offsets.
    const block = bytes.toString('latin1');
    const fields = block.split('\0');
    const last = fields.length - 1; // "" when the block ends with a NUL, as it must
    let at = 0;
    for (let i = 0; i < last; i += 2) {
        if (i + 1 === last)
            break; // a name without a value: refused below
        const name = fields[i];
        const value = fields[i + 1];
        if (name === '')
            throw new ProtocolError('a header name is empty', `at offset ${at}`);
        if (i === 0)
            contentLength = parseContentLength(name, value);
        else if (headers[name] !== undefined) { // a read, not `in`: ~5 ns a field here, not ~60
            throw new ProtocolError('a header name is repeated', `name ${quote(name)}`);
        }
        headers[name] = value;
        at += name.length + value.length + 2;
    }
    if (at < block.length) {
        const rule = 'the header block must be NUL-terminated name/value pairs';
        throw new ProtocolError(rule, `at offset ${at}`);
    }
    if (contentLength < 0) {
        throw new ProtocolError('the header block is empty: CONTENT_LENGTH must come first');
    }
    // nginx omits SCGI when a location sets its own scgi_param without the stock scgi_params file.
    if (headers.SCGI !== undefined && headers.SCGI !== '1') {
        throw new ProtocolError('the SCGI header must be "1"', `SCGI is ${quote(headers.SCGI)}`);
    }
    return { headers, contentLength, block };
}
/** Returns CONTENT_LENGTH as a number, checking that it is the first header and only digits. */
function parseContentLength(name, value) {
    if (name !== 'CONTENT_LENGTH') {
        const rule = 'the first header must be CONTENT_LENGTH';
        throw new ProtocolError(rule, `first header is ${quote(name)}`);
    }
    // A regex, not Number(): Number('') is 0, Number('0x1A') is 26 and Number('1e3') is 1000.
    const length = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(length)) {
        const rule = 'CONTENT_LENGTH must be ASCII digits, at most 2^53-1';
        throw new ProtocolError(rule, `CONTENT_LENGTH is ${quote(value)}`);
    }
    return length;
}
const DISCARDED = 'the request body was discarded because the response had started; '
    + 'read it before the first chunk of the response';
/** The request body: exactly CONTENT_LENGTH bytes from the connection, read only when asked for,
 *  each read on the request's clock with timeout ms allowed. */
class RequestBody {
    length;
    state = 'arriving';
    conn;
    timeout;
    clock;
    pending; // read from the connection, not yet by the app
    count; // bytes read from the connection so far
    inFlight = null; // the app's latest read
    error = null;
    input = null;
    receiving = null; // received's, made when asked for
    allReceived = () => { };
    constructor(conn, length, bodyStart, timeout = DEFAULTS.bodyTimeout, clock = new Clock()) {
        this.conn = conn;
        this.length = length;
        this.timeout = timeout;
        this.clock = clock;
        this.pending = bodyStart.length > 0 ? bodyStart : null;
        this.count = bodyStart.length;
        if (this.count === length)
            this.arrive();
    }
    /** Resolves once every body byte has come from the connection: nothing more is due. */
    get received() {
        return (this.receiving ??= this.arrived ? Promise.resolve()
            : new Promise((resolve) => (this.allReceived = resolve)));
    }
    /** Returns whether every body byte has come from the connection. */
    get arrived() {
        return this.count === this.length;
    }
    /** Returns why reading the body failed (the connection ended early or stalled), or null. */
    get failure() {
        return this.error;
    }
    /** Returns the next chunk, or null after the last. Throws BodyError if the connection ends or
     *  stalls. */
    read() {
        this.inFlight = this.next();
        return this.inFlight;
    }
    async next() {
        if (this.error)
            throw this.error;
        if (this.pending) {
            const chunk = this.pending;
            this.pending = null;
            return chunk;
        }
        if (this.count === this.length)
            return null;
        let chunk;
        try {
            const why = () => new BodyError(`no request body byte for ${this.timeout} ms`, true);
            const max = this.length - this.count;
            chunk = await this.clock.limit(this.timeout, why, (done) => this.conn.read(max, done));
        }
        catch (err) {
            const timedOut = err instanceof BodyError && err.timedOut;
            throw this.fail(`reading the request body: ${describeBriefly(err)}`, timedOut);
        }
        if (chunk === null) {
            throw this.fail(`the connection closed after ${this.count} of ${this.length} body bytes`);
        }
        this.count += chunk.length;
        if (this.count === this.length)
            this.arrive();
        return chunk;
    }
    arrive() {
        if (this.state === 'arriving')
            this.state = 'arrived';
        this.allReceived();
    }
    fail(message, timedOut = false) {
        this.state = 'failed';
        return (this.error = new BodyError(message, timedOut));
    }
    /** Returns whether drain() has anything to do: bytes still due or not taken, or a failure. */
    get unread() {
        return this.state !== 'arrived' || this.pending !== null;
    }
    /** Reads and drops what the app has not read, so the response can start (nginx stops sending
     *  the body once it sees a response header, and unread bytes at exit make the kernel reset the
     *  connection). */
    async drain() {
        await this.inFlight?.catch(() => { }); // a read the app started belongs to the app
        if (this.error)
            throw this.error;
        if (!this.unread)
            return;
        this.state = 'discarded';
        this.pending = null;
        while ((await this.next()) !== null)
            ;
    }
    /** Returns wsgi.input: a Readable of the body that fails, rather than ends short, if bytes are
     *  missing. */
    stream() {
        if (this.input)
            return this.input;
        // Loaded here, not at the top: node:stream costs about 1 ms of start-up most GETs never use.
        const { Readable } = process.getBuiltinModule('node:stream');
        const body = this;
        this.input = new Readable({
            // No read-ahead: every byte the stream holds is one the app asked for, so drain() knows
            // the rest.
            highWaterMark: 0,
            read() {
                if (body.state === 'discarded')
                    return void this.destroy(new Error(DISCARDED));
                body.read().then((chunk) => this.push(chunk), (err) => this.destroy(err));
            },
        });
        return this.input;
    }
    /** Returns whether drain() threw away bytes the app had not read. */
    get discarded() {
        return this.state === 'discarded';
    }
}
exports.RequestBody = RequestBody;
// ---- The environ --------------------------------------------------------------------------------
/** Returns the environ for a request: its headers object, taken over and given the derived path
 *  keys and PEP 3333's wsgi.* keys. (Not copied: copying a 20-key null-prototype object costs
 *  ~2 µs.) */
function buildEnviron(headers, body, errors, options = {}, serving = ONE_REQUEST, exchange) {
    const environ = headers;
    // An empty REMOTE_USER means no one logged in, not a user named "" (some fronts send it so).
    if (environ.REMOTE_USER === '')
        delete environ.REMOTE_USER;
    setPaths(environ, options.scriptName);
    environ['wsgi.version'] = [1, 0];
    environ['wsgi.url_scheme'] = isHttps(headers) ? 'https' : 'http';
    // A getter, so that node:stream is loaded only for requests whose app reads the body.
    Object.defineProperty(environ, 'wsgi.input', INPUT_GETTER);
    environ[BODY] = body;
    environ['wsgi.errors'] = errors;
    environ['wsgi.multithread'] = serving.multithread;
    environ['wsgi.multiprocess'] = serving.multiprocess;
    environ['wsgi.run_once'] = serving.runOnce;
    if (exchange) {
        Object.defineProperty(environ, 'inetd_scgi.signal', SIGNAL_GETTER);
        environ[EXCHANGE] = exchange;
    }
    return environ;
}
// The environ's getters are shared, their state under symbol keys: V8 puts each getter pair in its
// old generation, and a closure of the request there kept the request's objects alive through
// minor collections until a major one (a third of what a request allocated, under load).
const BODY = Symbol('inetd-scgi body');
// The environ's exchange, for its signal and the adapters (whenGone()), out of the app's way. The
// exchange, not a closure of the request: on Node 22 such a closure there kept the request's
// objects through minor collections.
const EXCHANGE = Symbol('inetd-scgi exchange');
const INPUT_GETTER = { enumerable: true, get() { return this[BODY].stream(); } };
const SIGNAL_GETTER = {
    enumerable: true, get() { return this[EXCHANGE].signal(); },
};
/** Sets SCRIPT_NAME and PATH_INFO, which PEP 3333 requires and nginx's stock scgi_params do not
 *  send. */
function setPaths(environ, scriptName = '') {
    if (environ.PATH_INFO === undefined) {
        // The front's SCRIPT_NAME is dropped with it: Apache sends the whole path as SCRIPT_NAME.
        environ.SCRIPT_NAME = '';
        const uri = environ.REQUEST_URI;
        environ.PATH_INFO =
            typeof environ.DOCUMENT_URI === 'string' ? environ.DOCUMENT_URI // nginx: already decoded
                : typeof uri === 'string' ? percentDecode(uri.split('?', 1)[0])
                    : '';
    }
    environ.SCRIPT_NAME ??= '';
    if (scriptName === '')
        return;
    // A mount prefix the user names beats the front's own split: lighttpd, mounted at "/app/", sends
    // SCRIPT_NAME "/app/a b" and PATH_INFO "/c" for "/app/a%20b/c".
    const prefix = scriptName.replace(/\/+$/, '');
    const path = environ.SCRIPT_NAME + environ.PATH_INFO;
    if (prefix && (path === prefix || path.startsWith(prefix + '/'))) {
        environ.SCRIPT_NAME = prefix;
        environ.PATH_INFO = path.slice(prefix.length);
    }
}
/** Returns s with each %XX replaced by the byte it names, as a latin-1 character; decodes once. */
function percentDecode(s) {
    if (!s.includes('%'))
        return s;
    const byte = (_, hex) => String.fromCharCode(parseInt(hex, 16));
    return s.replace(/%([0-9A-Fa-f]{2})/g, byte);
}
/** Returns whether the front says the request came over TLS. Cherokee sends HTTPS=off, so
 *  presence is not enough. */
function isHttps(headers) {
    return /^(on|1|yes)$/i.test(headers.HTTPS ?? '') || /^https$/i.test(headers.REQUEST_SCHEME ?? '');
}
// ---- The response head --------------------------------------------------------------------------
// Meaningful for one connection only; a CGI response must not carry them (PEP 3333, RFC 9110
// 7.6.1).
const HOP_BY_HOP = new Set([
    'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
    'trailers', 'transfer-encoding', 'upgrade',
]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// latin-1 text without control characters (tab allowed): no CR or LF can split the response.
const FIELD_TEXT = /^[\t\x20-\x7e\x80-\xff]*$/;
const STATUS = /^[1-5][0-9][0-9] [\t\x20-\x7e\x80-\xff]*$/;
// Statuses whose responses have no body, so no Content-Length is added (RFC 9110 8.6).
const BODYLESS_STATUS = /^(1..|204|304) /;
const EMPTY = Buffer.alloc(0);
const SETTLED = Promise.resolve();
/** Returns the response head startResponse was given, checked, or throws naming the bad part. */
function responseHead(status, headers) {
    if (typeof status !== 'string' || !STATUS.test(status)) {
        const rule = 'status must be a 3-digit code, a space and a reason phrase, like "200 OK"';
        throw new TypeError(`${rule}; got ${quote(status)}`);
    }
    if (!Array.isArray(headers)) {
        throw new TypeError(`headers must be an array of [name, value] pairs; got ${quote(headers)}`);
    }
    let lengths = 0;
    for (const pair of headers) {
        const [name, value] = Array.isArray(pair) ? pair : [];
        if (typeof name !== 'string' || typeof value !== 'string') {
            throw new TypeError(`a header must be a [name, value] pair of strings; got ${quote(pair)}`);
        }
        if (!TOKEN.test(name))
            throw new TypeError(`header name ${quote(name)} is not an HTTP token`);
        if (!FIELD_TEXT.test(value)) {
            throw new TypeError(`header ${name} has a control or non-latin-1 character: ${quote(value)}`);
        }
        const lower = name.toLowerCase();
        if (HOP_BY_HOP.has(lower)) {
            throw new TypeError(`header ${name} is hop-by-hop: the web server sets it`);
        }
        // A Status header would be read by the front as the status line (CGI, RFC 3875 6.3.3).
        if (lower === 'status') {
            const rule = 'the status goes in startResponse\'s first argument, not in a Status header';
            throw new TypeError(rule);
        }
        if (lower === 'content-length' && ++lengths > 1) {
            throw new TypeError('Content-Length is given twice');
        }
    }
    // A copy: the app may reuse its array, and Content-Length may be added to this one.
    const mayAddLength = lengths === 0 && !BODYLESS_STATUS.test(status);
    return { status, headers: headers.slice(), mayAddLength };
}
/** Returns the head as CGI writes it: a "Status:" line, the headers, a blank line. */
function encodeHead(head) {
    let text = `Status: ${head.status}\r\n`;
    for (const [name, value] of head.headers)
        text += `${name}: ${value}\r\n`;
    return Buffer.from(`${text}\r\n`, 'latin1');
}
function isChunk(value) {
    return typeof value === 'string' || value instanceof Uint8Array;
}
function isThenable(value) {
    return typeof value?.then === 'function';
}
function isIterable(value) {
    return value !== null && typeof value === 'object'
        && (Symbol.iterator in value || Symbol.asyncIterator in value);
}
/** Returns a chunk as a Buffer (strings as UTF-8), without copying bytes. */
function toBuffer(chunk) {
    if (typeof chunk === 'string')
        return Buffer.from(chunk, 'utf8');
    if (chunk instanceof Uint8Array) {
        return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    throw new TypeError(`a body chunk must be a string or a Uint8Array; got ${quote(chunk)}`);
}
/** Returns the total length of buffers. */
function byteLength(buffers) {
    let length = 0;
    for (const buffer of buffers)
        length += buffer.length;
    return length;
}
// ---- Connections --------------------------------------------------------------------------------
/** Returns a Connection over two file descriptors (inetd's 0 and 1). Once the connection is
 *  watched for its end, or a response outgrows SYNC_WRITE_LIMIT, a socket there is driven as a
 *  net.Socket instead: non-blocking, so that its EOF can be awaited and its writes bounded. A
 *  long body is read through one too (SOCKET_READ_MIN), over a pipe as well. */
function fdConnection(inFd = 0, outFd = 1) {
    let socket; // undefined until asked for; null: none to be had
    let reader; // a long body's, likewise
    let written = 0;
    // Made only once the request is read (its reads would take body bytes), and only when fds 0 and
    // 1 are one socket, as every super-server makes them. Not before: it loads 26 modules, ~3 ms.
    const asSocket = () => {
        if (socket !== undefined)
            return socket;
        socket = null;
        if (isSocket(inFd) && sameFile(inFd, outFd)) {
            const { Socket } = process.getBuiltinModule('node:net');
            const options = { fd: inFd, allowHalfOpen: true, readable: true, writable: true };
            socket = socketConnection(new Socket(options));
        }
        return socket;
    };
    // Over a pipe, a read-only net.Socket (the response goes to fd 1 as before); else the socket's.
    const asReader = () => {
        if (!(0, node_fs_1.fstatSync)(inFd).isFIFO())
            return asSocket();
        const { Socket } = process.getBuiltinModule('node:net');
        return socketConnection(new Socket({ fd: inFd, readable: true, writable: false }));
    };
    return {
        // Reads go through libuv's thread pool, so the event loop stays free to run the timeouts (a
        // long body's through a net.Socket, on the event loop).
        read(max, done) {
            if (reader === undefined && max > SOCKET_READ_MIN)
                reader = asReader();
            if (reader)
                return reader.read(max, done);
            const into = Buffer.allocUnsafe(Math.min(max, READ_SIZE));
            const attempt = () => (0, node_fs_1.read)(inFd, into, 0, into.length, null, (err, n) => {
                if (errorCode(err) === 'EAGAIN')
                    setTimeout(attempt, EAGAIN_RETRY_MS);
                else
                    done(err, err || n === 0 ? null : into.subarray(0, n));
            });
            attempt();
        },
        // Only a socket's EOF means the peer left: web servers never half-close a connection, while a
        // pipe (a test's, a CGI host's) ends after the body. Awaited on the net.Socket: a read left
        // blocked in the thread pool would hang process.exit, which joins the pool's threads.
        whenClosed: (listener) => asSocket()?.whenClosed?.(listener),
        // Blocking writes while the kernel surely takes the bytes: the process has nothing else to do,
        // and writeSync costs a third of a pooled write. Past SYNC_WRITE_LIMIT a peer that stopped
        // reading could block one for good, so the rest go through the net.Socket, which can wait.
        write(data, done) {
            written += data.length;
            const nonBlocking = socket ?? (written > SYNC_WRITE_LIMIT ? asSocket() : null);
            if (nonBlocking)
                return nonBlocking.write(data, done);
            let sent = 0;
            const attempt = () => {
                try {
                    while (sent < data.length)
                        sent += (0, node_fs_1.writeSync)(outFd, data, sent);
                }
                catch (err) {
                    if (errorCode(err) === 'EAGAIN')
                        return void setTimeout(attempt, EAGAIN_RETRY_MS);
                    return done(err);
                }
                done(null);
            };
            attempt();
        },
    };
}
/** Returns a Connection over a socket. Reads are pulled: no more is read than the app asks for,
 *  beyond what the socket itself buffers. */
function socketConnection(socket) {
    let failure = null;
    let ended = false;
    let waiting = null; // a read's, until bytes come
    let onClosed = null; // the watch's
    const wake = () => {
        const resume = waiting;
        waiting = null;
        resume?.();
        if (!(ended || failure) || onClosed === null)
            return;
        const tell = onClosed;
        onClosed = null;
        tell(failure ?? undefined);
    };
    socket.on('readable', wake);
    socket.on('end', () => ((ended = true), wake()));
    socket.on('close', () => ((ended = true), wake()));
    socket.on('error', (err) => ((failure = err), wake()));
    return {
        read(max, done) {
            const attempt = () => {
                const chunk = socket.read();
                if (chunk === null) {
                    if (failure || ended)
                        done(failure, null);
                    else
                        waiting = attempt;
                }
                else if (chunk.length <= max) {
                    done(null, chunk);
                }
                else {
                    socket.unshift(chunk.subarray(max));
                    done(null, chunk.subarray(0, max));
                }
            };
            attempt();
        },
        write: (data, done) => void socket.write(data, (err) => done(err ?? null)),
        whenClosed(listener) {
            onClosed = listener;
            // Reading on (and dropping bytes past the request) is what makes the peer's EOF emit 'end'.
            const discard = () => {
                while (socket.read() !== null)
                    ;
            };
            socket.on('readable', discard);
            discard();
            if (ended || failure)
                process.nextTick(wake); // told later, as when it closes later
        },
    };
}
// ---- One request per process: inetd per connection, and CGI -------------------------------------
/** Serves the process's one request (SCGI on fds 0 and 1, unless given), then ends the process. */
function serveOne(load, settings, given) {
    // Under a CGI host, stdout is the response and stderr the host's log: both stay as they are.
    const out = given || !ownStdio(settings.errors) ? 1 : 0;
    const log = new ErrorLog(settings.errors, [0, out]);
    const exchange = new Exchange(fdConnection(0, out), log, settings);
    // End once the response is out (every write has completed): an app's leftover timers or sockets
    // must not hold the connection open, since the front waits for EOF to end the response.
    const end = (outcome) => endOne(outcome, log);
    guardProcess(log, (err) => exchange.fail(err).then(end));
    // Nothing left to run and no response: the app's promise can never settle (Node would exit 0).
    const pending = 'its promise is pending with nothing left to run';
    const never = new Error(`the app never responded: ${pending}`);
    process.once('beforeExit', () => exchange.fail(never).then(end));
    exchange.run(loaded(load), given).then(end);
}
/** Returns the request a CGI host passes (RFC 3875): meta-variables in the environment, body on
 *  stdin. */
function cgiRequest(env) {
    const headers = Object.assign(Object.create(null), env);
    // Absent or empty when there is no body (RFC 3875 4.1.2).
    const given = headers.CONTENT_LENGTH;
    const contentLength = given ? parseContentLength('CONTENT_LENGTH', given) : 0;
    headers.CONTENT_LENGTH = String(contentLength);
    // SCRIPT_NAME is the script; no PATH_INFO means nothing after it (4.1.5), not "derive one".
    headers.PATH_INFO ??= '';
    return { headers, contentLength, bodyStart: EMPTY };
}
/** Returns load(), or a rejected promise if it throws (answered with a 500 once a request is
 *  read). */
function loaded(load) {
    try {
        return load();
    }
    catch (err) {
        return Promise.reject(err);
    }
}
// systemd passes its sockets from fd 3 on (sd_listen_fds(3)).
const SD_LISTEN_FDS_START = 3;
/** Returns the listening sockets the options or systemd name, or null to serve one request. */
function listenersFor(options) {
    if (options.listen !== undefined && options.wait) {
        throw new Error('--listen and --wait exclude each other: '
            + '--wait is for an inetd "wait" line, --listen for a supervisor');
    }
    if (options.listen !== undefined)
        return [parseAddress(options.listen)];
    if (options.wait)
        return [{ fd: 0 }];
    return systemdListeners();
}
/** Returns the sockets systemd passed (LISTEN_FDS of them from fd 3, when LISTEN_PID is this
 *  process), or null. Removes the variables, as sd_listen_fds does, so that the app's child
 *  processes do not take them. */
function systemdListeners() {
    const { LISTEN_FDS: count, LISTEN_PID: pid } = process.env;
    delete process.env.LISTEN_FDS;
    delete process.env.LISTEN_PID;
    delete process.env.LISTEN_FDNAMES;
    if (count === undefined || pid !== String(process.pid))
        return null; // none, or an ancestor's
    if (!/^[1-9][0-9]*$/.test(count)) {
        throw new Error(`LISTEN_FDS must be a positive number of sockets; got ${quote(count)}`);
    }
    return Array.from({ length: Number(count) }, (_, i) => ({ fd: SD_LISTEN_FDS_START + i }));
}
/** Returns the listener --listen names: HOST:PORT (127.0.0.1:9000, [::1]:9000), else a unix
 *  socket path. */
function parseAddress(address) {
    const tcp = /^(\[[0-9A-Fa-f:.]+\]|[^/:[\]]+):([0-9]{1,5})$/.exec(address);
    if (tcp === null) {
        if (address === '')
            throw new Error('--listen needs a unix socket path or HOST:PORT');
        // "127.0.0.1:80x" (a port typo) would otherwise be a socket file of that name, in the cwd.
        if (!/^\.{0,2}\//.test(address)) {
            const kinds = 'HOST:PORT or a unix socket path that is absolute or starts with ./';
            throw new Error(`--listen takes ${kinds}; got ${quote(address)}`);
        }
        return { path: address };
    }
    const port = Number(tcp[2]);
    if (port < 1 || port > 65535) {
        throw new Error(`the port in --listen must be 1 to 65535; got ${quote(address)}`);
    }
    return { host: tcp[1].replace(/^\[(.*)\]$/, '$1'), port };
}
/** Serves connections from the listeners concurrently, until idle for idleTimeout or stopped by
 *  SIGTERM or SIGINT. One request's failure ends its own connection only. */
function serveListeners(listeners, load, settings, what) {
    const { shutdownTimeout, maxConnections } = settings;
    const inherited = listeners.every((listener) => 'fd' in listener);
    stopPretenuring();
    // inetd "wait" puts the listening socket on fds 0-2: raw output there would be lost, not logged.
    if (settings.wait)
        ownStdio(settings.errors);
    const log = new ErrorLog(settings.errors, []);
    // Several instances may serve one --listen upstream; an inherited socket has one process at a
    // time.
    const serving = { multithread: true, multiprocess: !inherited, runOnce: false };
    const { idleTimeout } = settings;
    const runTied = guardRequests(log);
    const open = new OpenConnections();
    let refused = 0; // connections closed at once since the cap was reached
    let idle;
    let stopping = false;
    const whenIdle = () => {
        if (stopping)
            exit(0);
        else if (idleTimeout > 0)
            idle = setTimeout(() => stop('idle'), idleTimeout);
    };
    // Resets each open connection, naming its request, so that nginx does not take a response cut
    // here for a whole one (over TCP; a unix socket has no reset: its end looks like the
    // response's).
    const cut = () => {
        for (const [socket, exchange] of open) {
            log.line(`cut short: ${exchange.summary()}`);
            reset(socket);
        }
    };
    const stop = (why) => {
        if (stopping) {
            // Only a signal comes now (the idle timer is cleared): a second one does not wait.
            log.line(`${why} again: ${open.size} connection(s) cut`);
            cut();
            return exit(1);
        }
        stopping = true;
        clearTimeout(idle);
        for (const server of servers)
            server.close();
        if (open.size === 0)
            return exit(0);
        log.line(`${why}: finishing the ${open.size} open connection(s) within ${shutdownTimeout} ms`);
        setTimeout(() => {
            log.line(`${why}: ${open.size} connection(s) still open after ${shutdownTimeout} ms`);
            cut();
            exit(1);
        }, shutdownTimeout);
    };
    const app = loaded(load);
    let ready; // the app, loaded: connections are taken only then
    const accept = (socket) => {
        // Each connection holds up to a header block in memory: the cap bounds the whole. Closed at
        // once past it, so that nginx can try another upstream.
        if (open.size >= maxConnections) {
            socket.destroy();
            const limit = `${maxConnections} connections open (--max-connections)`;
            if (refused++ === 0)
                log.line(`${limit}: closing new ones until one ends`);
            return;
        }
        clearTimeout(idle);
        const exchange = new Exchange(socketConnection(socket), log, settings, serving);
        const entry = open.add(socket, exchange);
        socket.on('close', () => {
            open.remove(entry);
            // Node keeps a closed socket until a major collection: without our listeners, it no longer
            // keeps the request's objects through the minor ones.
            socket.removeAllListeners();
            const limit = `--max-connections ${maxConnections}`;
            if (refused > 0)
                log.line(`closed ${refused} new connection(s) at ${limit}`);
            refused = 0;
            if (open.size === 0)
                whenIdle();
        });
        // Closed as soon as the response is out, as uWSGI does: nginx reads to EOF and sends nothing
        // after the request, so waiting for its EOF would only cost system calls. After an error the
        // request may not have been read to its end: half-closed first, so that unread bytes do not
        // turn the end into a reset before the answer is read.
        const end = (outcome) => outcome === 'failed'
            ? socket.end(() => socket.destroy()) : socket.destroy();
        runTied(exchange, () => exchange.run(ready).then(end), end);
    };
    // allowHalfOpen: a client that half-closes after its request (as a pipe ends) still gets the
    // response.
    const { createServer } = process.getBuiltinModule('node:net');
    const servers = listeners.map(() => createServer({ allowHalfOpen: true, noDelay: true }, accept));
    // Listening only once the app has loaded: one that cannot ends the process at once (status 1),
    // so that a supervisor or systemd sees it, rather than a 500 for every request.
    Promise.resolve(app).then((loadedApp) => {
        ready = loadedApp;
        const kind = KINDS.get(loadedApp) ?? 'PEP 3333 app';
        const line = `serving ${what}, a ${kind}, with Node ${process.version}`;
        servers.forEach((server, i) => listen(server, listeners[i], settings.socketMode, log, line));
    }, (err) => {
        log.line(`the app could not be loaded: ${describe(err)}`);
        exit(1);
    });
    onSignals(stop);
    whenIdle(); // the idle clock runs from the start: inetd starts us for a connection, maybe gone
}
/** The open connections of a long-running process. A linked list, not a Map: V8 links a Map's
 *  replaced table, entries and all, to its successor, so that every connection's objects
 *  outlived minor collections until a major one. */
class OpenConnections {
    size = 0;
    first = null;
    /** Adds a connection; returns its entry, for remove(). */
    add(socket, exchange) {
        const entry = { socket, exchange, previous: null, next: this.first };
        if (this.first)
            this.first.previous = entry;
        this.first = entry;
        this.size++;
        return entry;
    }
    /** Unlinks entry, and drops what it holds (V8 may have placed it in its old generation). */
    remove(entry) {
        if (entry.previous)
            entry.previous.next = entry.next;
        else
            this.first = entry.next;
        if (entry.next)
            entry.next.previous = entry.previous;
        entry.socket = entry.exchange = entry.previous = entry.next = null;
        this.size--;
    }
    /** Yields each open connection; the one yielded may be removed meanwhile. */
    *[Symbol.iterator]() {
        for (let entry = this.first; entry !== null;) {
            const next = entry.next;
            yield [entry.socket, entry.exchange];
            entry = next;
        }
    }
}
/** Starts server listening; a unix socket file left by a dead process is replaced, one in use is
 *  not. Exits with status 1 if it cannot listen: there is nothing to serve. */
function listen(server, listener, socketMode, log, serving) {
    const where = 'fd' in listener ? `fd ${listener.fd}`
        : 'path' in listener ? listener.path : `${listener.host}:${listener.port}`;
    const cannot = (why) => {
        log.line(`cannot listen on ${where}: ${why}`);
        process.exit(1);
    };
    let replaced = false;
    server.on('error', (err) => {
        if ('fd' in listener) {
            return cannot(`${describeBriefly(err)}; it must be a listening socket: `
                + 'inetd passes one with a "wait" line, systemd with Accept=no');
        }
        if ('path' in listener && ['ENOENT', 'EACCES'].includes(errorCode(err))) {
            const folder = (0, node_path_1.dirname)(listener.path);
            const there = fileKind(folder);
            const what = there === 'nothing' ? 'does not exist' : `is ${there}`;
            const create = 'create it, writable by this user';
            if (there !== 'a directory')
                return cannot(`its folder ${folder} ${what}: ${create}`);
            const who = `this user (uid ${process.getuid?.()})`;
            return cannot(`${describeBriefly(err)}: ${who} cannot create a socket in ${folder}`);
        }
        if (errorCode(err) !== 'EADDRINUSE' || !('path' in listener) || replaced) {
            return cannot(describeBriefly(err));
        }
        const kind = fileKind(listener.path);
        const rule = 'only a socket a dead process left is replaced: remove it, or choose another path';
        if (kind !== 'a socket')
            return cannot(`${kind} is there; ${rule}`);
        const { connect } = process.getBuiltinModule('node:net');
        connect(listener.path)
            .on('connect', () => cannot('another process is serving that socket'))
            .on('error', (probe) => {
            if (errorCode(probe) !== 'ECONNREFUSED')
                return cannot(describeBriefly(err));
            replaced = true;
            (0, node_fs_1.unlinkSync)(listener.path); // nobody answers: a socket a dead process left
            server.listen(listener);
        });
    });
    server.listen(listener, () => {
        if ('path' in listener && socketMode !== undefined)
            (0, node_fs_1.chmodSync)(listener.path, socketMode);
        log.line(`${serving} on ${where}`);
    });
}
/** Returns what is at path, as a phrase: "a socket", "a directory", "a regular file"... */
function fileKind(path) {
    try {
        const stat = (0, node_fs_1.lstatSync)(path);
        return stat.isSocket() ? 'a socket'
            : stat.isDirectory() ? 'a directory'
                : stat.isFile() ? 'a regular file'
                    : stat.isSymbolicLink() ? 'a symbolic link'
                        : 'a file that is not a socket';
    }
    catch (err) {
        if (errorCode(err) === 'ENOENT')
            return 'nothing';
        return `what cannot be looked at (${describeBriefly(err)})`;
    }
}
/** Drops a connection so that the peer sees an error, not an end: a TCP reset (a unix socket has
 *  none). */
function reset(socket) {
    try {
        socket.resetAndDestroy(); // throws on a unix socket, which has no reset
    }
    catch {
        socket.destroy();
    }
}
// ---- The process: every change this file makes to it --------------------------------------------
/** Sets the environment for the app: NODE_ENV production unless set (inetd clears the environment,
 *  and Express and others would run in development mode, showing stack traces to the client);
 *  under a CGI host, no HTTP_PROXY (httpoxy: a request's "Proxy:" header arrives as HTTP_PROXY,
 *  which HTTP clients take for their proxy). */
function setEnvironment(cgi) {
    if (cgi)
        delete process.env.HTTP_PROXY;
    process.env.NODE_ENV ??= 'production';
}
/** Turns V8's allocation-site pretenuring off in a long-running process, unless node's command
 *  line sets it. V8 allocates an object literal in the old generation once most of its copies have
 *  survived a minor collection; with requests in flight, those made as a request starts (Node's own
 *  EventEmitter and stream state among them) do. Old, they keep the young objects of their request
 *  through minor collections until a major one: under load on Node 20, the suite's Express app
 *  cost 286 µs of CPU a request with it, 227 without (Fastify 151, 108; Node 22 alike; Node 24
 *  decides otherwise, the same either way); hello worlds the same. */
function stopPretenuring() {
    // V8 takes - or _ in a flag's name; --no- turns it off.
    if (process.execArgv.some((arg) => /allocation[-_]site[-_]pretenuring$/.test(arg)))
        return;
    process.getBuiltinModule('node:v8').setFlagsFromString('--no-allocation-site-pretenuring');
}
// The fetch classes as Node defines them, before lightenFetch: getters that load undici.
const undiciGlobals = new Map();
/** Makes LightResponse the global Response, for a fetch handler: one that answers a string or
 *  bytes then makes no undici Response (`instanceof Response` holds for undici's too); and a
 *  LightRequest an instanceof Request from the moment anything asks for that class. On Node 20 the
 *  globals are getters, and undici stays unloaded; Node 22 and later make them V8's lazy data
 *  properties, which load undici when they are read or redefined, here. */
function lightenFetch() {
    if (undiciGlobals.size > 0)
        return;
    // Read as descriptors: on Node 20, reading the globals would load undici.
    for (const name of ['Request', 'Response']) {
        undiciGlobals.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    }
    const settable = { configurable: true, enumerable: false };
    const light = { ...settable, writable: true, value: LightResponse };
    Object.defineProperty(globalThis, 'Response', light);
    Object.defineProperty(globalThis, 'Request', {
        ...settable,
        get: () => undiciClass('Request'),
        set: (value) => Object.defineProperty(globalThis, 'Request', { value }),
    });
}
// undici's classes, once undiciClass has them.
const undiciClasses = new Map();
function undiciClass(name) {
    const known = undiciClasses.get(name);
    if (known)
        return known;
    if (!undiciGlobals.has(name))
        return name === 'Request' ? Request : Response; // not lightened
    // Node's getter puts the class it loads in the global's place: the global is set here, once.
    const given = undiciGlobals.get(name);
    const loaded = given?.get ? given.get.call(globalThis) : given?.value;
    undiciClasses.set(name, loaded);
    const value = name === 'Response' ? LightResponse : loaded;
    Object.defineProperty(globalThis, name, { writable: true, configurable: true, value });
    if (name === 'Request')
        Object.setPrototypeOf(LightRequest.prototype, loaded.prototype);
    return loaded;
}
/** Returns whether value is one of undici's responses. */
function isResponse(value) {
    return value instanceof Object && value instanceof undiciClass('Response');
}
/** Sends everything the process would print to the log, and uncaught errors to onFatal. */
function guardProcess(log, onFatal) {
    // Without these handlers Node writes the stack trace straight to fd 2, maybe the connection.
    process.on('uncaughtException', onFatal);
    process.on('unhandledRejection', onFatal);
    process.on('exit', () => log.flush());
    process.removeAllListeners('warning'); // Node's own listener prints warnings to fd 2
    process.on('warning', (warning) => log.line(`${warning.name}: ${warning.message}`));
    for (const name of ['stdout', 'stderr']) {
        const stream = { configurable: true, enumerable: true, get: () => log.stream };
        Object.defineProperty(process, name, stream);
    }
    // A console built on first use (that costs ~1.5 ms): the global one may be bound to fd 1.
    Object.defineProperty(globalThis, 'console', {
        configurable: true,
        get() {
            const { Console } = process.getBuiltinModule('node:console');
            const streams = { stdout: log.stream, stderr: log.stream };
            const console = new Console(streams);
            const value = { configurable: true, writable: true, value: console };
            Object.defineProperty(globalThis, 'console', value);
            return console;
        },
    });
}
/** Guards a long-running process, tying an uncaught error to the request whose code threw it;
 *  returns the function that runs a request's code so. */
function guardRequests(log) {
    // AsyncLocalStorage follows the request's callbacks and promises: its store is the request's
    // exchange, and the end that follows its failure.
    const { AsyncLocalStorage } = process.getBuiltinModule('node:async_hooks');
    const current = new AsyncLocalStorage();
    guardProcess(log, (err) => {
        const store = current.getStore();
        if (store)
            store[0].fail(err).then(store[1]);
        else
            log.line(`an error no request can be tied to: ${describe(err)}`);
    });
    return (exchange, run, end) => current.run([exchange, end], run);
}
/** Re-points fds 1 and 2 at the error log (else /dev/null) where they are the socket on fd 0, as
 *  inetd and xinetd leave them: what reaches them below JavaScript (V8's out-of-memory report,
 *  process.abort()'s stack, fs.writeSync(1, ...), a child's inherited output) then lands in the
 *  log, never on the connection. Returns whether fd 1 was re-pointed: the response then goes out
 *  on fd 0. */
function ownStdio(logPath) {
    if (!isSocket(0))
        return false;
    const connected = [1, 2].filter((fd) => sameFile(fd, 0));
    for (const fd of connected) {
        (0, node_fs_1.closeSync)(fd);
        // POSIX open() returns the lowest free descriptor, so this is fd again: the dup2 Node lacks.
        const opened = openOr(logPath, '/dev/null');
        if (opened !== fd)
            throw new Error(`re-pointing fd ${fd} opened fd ${opened} instead`);
    }
    return connected.includes(1);
}
/** Returns a new fd appending to path, else to fallback if path is undefined or cannot be
 *  opened. */
function openOr(path, fallback) {
    try {
        if (path !== undefined)
            return (0, node_fs_1.openSync)(path, 'a');
    }
    catch { } // the error log says why, when it fails to open the same file
    return (0, node_fs_1.openSync)(fallback, 'a');
}
/** Stops a long-running process on SIGTERM or SIGINT. */
function onSignals(stop) {
    for (const signal of ['SIGTERM', 'SIGINT']) {
        process.on(signal, () => stop(`stopping on ${signal}`));
    }
}
/** Ends a one-request process: exit status 0 when done, 1 when failed. A request given up on ends
 *  it with SIGKILL, which nothing can delay: process.exit() joins libuv's thread pool, so a read
 *  left blocked there (ours, of a peer that stays silent, or the app's) would make it wait for
 *  ever. */
function endOne(outcome, log) {
    if (outcome !== 'given up')
        return exit(outcome === 'done' ? 0 : 1);
    log.flush(); // no 'exit' event comes
    process.nextTick(() => process.kill(process.pid, 'SIGKILL'));
}
/** Ends the process with status once the current work is done: behind the warnings Node queued
 *  on the nextTick queue and the callbacks the app queued with setImmediate (Express's final
 *  handler logs an error so), so that they still reach the log; not behind timers or sockets,
 *  which could hold the connection open. */
function exit(status) {
    setImmediate(() => process.exit(status));
}
// ---- The error log: nothing but the response reaches the connection ----------------------------
/** The error log: a file (appended), else fd 2 when fd 2 is not the connection, else nowhere. */
class ErrorLog {
    /** A stand-in for process.stdout and process.stderr, and the environ's wsgi.errors. */
    stream;
    path;
    connectionFds;
    fd; // undefined until first used; null: discard
    retryAt = 0; // when to try opening the file again, after it failed to open
    partial = ''; // the app's output since its last newline (latin-1: a character per byte)
    constructor(path, connectionFds) {
        this.path = path;
        this.connectionFds = connectionFds;
        this.stream = Object.assign(new node_events_1.EventEmitter(), {
            write: (chunk, encoding, callback) => {
                this.appOutput(chunk);
                const done = typeof encoding === 'function' ? encoding : callback;
                // null: no error (console checks it).
                if (typeof done === 'function')
                    process.nextTick(done, null);
                return true;
            },
            end: () => { },
            flush: () => this.flush(),
        });
    }
    /** Appends the app's output a line at a time, each with the time and the process id, as ours,
     *  so that the lines of concurrent processes can be told apart. */
    appOutput(chunk) {
        const lines = (this.partial + toBuffer(chunk).toString('latin1')).split('\n');
        this.partial = lines.pop();
        for (const line of lines)
            this.write(Buffer.from(`${this.stamp('app')}${line}\n`, 'latin1'));
    }
    /** Appends the app's last line if it did not end it: called as the process ends. */
    flush() {
        if (this.partial !== '')
            this.appOutput('\n');
    }
    /** Returns the prefix of a log line: the time, and who wrote it with the process id. */
    stamp(who) {
        return `${new Date().toISOString()} ${who}[${process.pid}]: `;
    }
    /** Returns whether the log file named could not be opened (the last time it was tried). */
    get unopened() {
        return this.retryAt !== 0;
    }
    /** Appends bytes to the log as they are. */
    write(data) {
        const retry = this.retryAt !== 0 && Date.now() >= this.retryAt;
        if (this.fd === undefined || retry)
            this.fd = this.open();
        if (this.fd === null)
            return;
        try {
            (0, node_fs_1.writeSync)(this.fd, toBuffer(data));
        }
        catch {
            this.fd = null; // an unwritable log must not stop the request; there is nowhere to say so
        }
    }
    /** Appends one message of ours, with the time and the process id. */
    line(message) {
        this.write(`${this.stamp('inetd-scgi')}${message}\n`);
    }
    open() {
        const stderr = stderrIsConnection(this.connectionFds) ? null : 2;
        if (this.path === undefined)
            return stderr;
        try {
            const fd = (0, node_fs_1.openSync)(this.path, 'a');
            this.retryAt = 0;
            return fd;
        }
        catch (err) {
            if (stderr !== null && this.retryAt === 0) {
                try {
                    const why = describeBriefly(err);
                    const until = 'logging here until it can be';
                    const where = `the error log ${this.path}`;
                    (0, node_fs_1.writeSync)(stderr, `inetd-scgi: cannot open ${where}: ${why}; ${until}\n`);
                }
                catch { }
            }
            // Tried again a little later: what failed may pass (too many open files, during a flood).
            this.retryAt = Date.now() + LOG_RETRY_MS;
            return stderr;
        }
    }
}
exports.ErrorLog = ErrorLog;
/** Returns whether fd 2 is the connection (one of its fds), where nothing but the response may go:
 *  openbsd-inetd and xinetd put the connection on fd 2 as well as fds 0 and 1. */
function stderrIsConnection(connectionFds) {
    return connectionFds.some((fd) => sameFile(2, fd));
}
/** Returns whether two fds are the same open file (socket, pipe or file); true if either cannot be
 *  checked (a closed fd 2), so that nothing is written there. */
function sameFile(a, b) {
    try {
        const [x, y] = [(0, node_fs_1.fstatSync)(a), (0, node_fs_1.fstatSync)(b)];
        return x.dev === y.dev && x.ino === y.ino;
    }
    catch {
        return true; // fd 2 closed (or unknowable): never write there
    }
}
/** Returns whether fd is a socket (false if it cannot be checked). */
function isSocket(fd) {
    try {
        return (0, node_fs_1.fstatSync)(fd).isSocket();
    }
    catch {
        return false;
    }
}
/** Returns a describing string of an error (its stack) or of any other thrown value. */
function describe(err) {
    if (err instanceof Error)
        return err.stack ?? String(err);
    return `a non-Error value was thrown: ${quote(err)}`;
}
/** Returns an error's message, without the stack. */
function describeBriefly(err) {
    return err instanceof Error ? err.message : quote(err);
}
/** Returns a short printable rendering of any value, for messages. */
function quote(value) {
    const { inspect } = process.getBuiltinModule('node:util');
    const text = inspect(value, { depth: 1, breakLength: Infinity });
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
function errorCode(err) {
    return err?.code;
}
// ERR_STREAM_DESTROYED: a write to a socket that closed (the long-running modes); ETIMEDOUT: the
// web server took nothing for --write-timeout.
const CLIENT_GONE = ['EPIPE', 'ECONNRESET', 'ENOTCONN', 'ERR_STREAM_DESTROYED', 'ETIMEDOUT'];
function isClientGone(err) {
    return CLIENT_GONE.includes(errorCode(err));
}
// ---- Adapters: the apps Node people already have ------------------------------------------------
// Set by apps for Node's own HTTP server, which frames a response by them, and by fetch handlers
// (Hono's streamSSE). Here the web server frames the response, so they are dropped rather than
// refused (server-sent event examples send "Connection: keep-alive").
const TRANSPORT_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding']);
// The kind of each app an adapter made, for the log line a long-running process starts with.
const KINDS = new WeakMap();
/** Returns an app that runs a fetch handler: the request as a Request (body streamed, signal
 *  aborted when the client goes away); the Response's status, headers and body sent as they
 *  come. */
function fetchApp(handler) {
    lightenFetch();
    const app = (environ, startResponse) => {
        const given = handler(fetchRequest(environ));
        // Most handlers answer at once (Hono's, for a route that does not await): no promise then.
        if (!isThenable(given))
            return responseBody(given, startResponse);
        return Promise.resolve(given).then((later) => responseBody(later, startResponse));
    };
    KINDS.set(app, 'fetch handler');
    return app;
}
/** Starts the response a fetch handler gave, and returns its body. */
function responseBody(given, startResponse) {
    const light = LightResponse.parts(given);
    if (light) {
        const write = startResponse(statusLine(light), withoutTransport(light.headers));
        // No Response's body has a length: an empty iterator, or the bytes written (in an array they
        // would get one).
        if (light.body === null)
            return [].values();
        void write(light.body);
        return [];
    }
    const response = LightResponse.real(given);
    if (!isResponse(response)) {
        const got = `the fetch handler returned ${quote(response)}`;
        throw new TypeError(`${got}; it must return a Response`);
    }
    try {
        // A pair per Set-Cookie.
        startResponse(statusLine(response), withoutTransport([...response.headers]));
    }
    catch (err) {
        // A stream the handler feeds must learn that no one will read it.
        void response.body?.cancel();
        throw err;
    }
    // A null body (a redirect, a 204, HEAD) goes out with no length: an empty iterator, not an
    // array.
    return response.body ?? [].values();
}
/** Returns a response's lower-case headers without the transport's own, dropped as for a listener
 *  (streamSSE sets them). */
function withoutTransport(headers) {
    if (!headers.some(([name]) => TRANSPORT_HEADERS.has(name)))
        return headers; // most have none
    return headers.filter(([name]) => !TRANSPORT_HEADERS.has(name));
}
// The reasons of the statuses most answers have, as node:http's table gives them: loading that
// table (node:http) costs a process ~3.5 ms, paid only for the others.
const REASONS = {
    200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found',
    304: 'Not Modified', 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error',
};
/** Returns a response's status line: its status and its reason, or the one Node's server sends. */
function statusLine({ status, statusText }) {
    const reason = statusText || (REASONS[status]
        ?? process.getBuiltinModule('node:http').STATUS_CODES[status] ?? 'Unknown');
    return `${status} ${reason}`;
}
// A Host a URL can carry: a name or IPv4 address, or an IPv6 literal; then an optional port.
const HOST = /^([A-Za-z0-9\-._~!$&'()*+,;=%]+|\[[0-9A-Fa-f:.]+\])(:[0-9]*)?$/;
/** Returns the environ's request as a fetch Request; throws a ProtocolError (a 400) if it cannot be
 *  one. */
function fetchRequest(environ) {
    let host = environ.HTTP_HOST
        || `${environ.SERVER_NAME ?? 'localhost'}:${environ.SERVER_PORT ?? ''}`;
    // A "/", "?", "#" or "@" in the Host would move the boundary between host and path in the URL.
    if (!HOST.test(host))
        throw new ProtocolError('the Host header is not a host name', quote(host));
    // Debian's stock scgi_params send nginx's $host, which drops the port the client named: the port
    // the front listens on stands in for it (the URL parser drops it again when it is the scheme's
    // default).
    if (!/:[0-9]*$/.test(host) && /^[0-9]+$/.test(String(environ.SERVER_PORT))) {
        host += `:${environ.SERVER_PORT}`;
    }
    const method = environ.REQUEST_METHOD ?? 'GET';
    const hasBody = environ.CONTENT_LENGTH !== '0' && method !== 'GET' && method !== 'HEAD';
    const scheme = environ['wsgi.url_scheme'];
    const target = requestTarget(environ);
    const url = `${scheme}://${host}${target}`;
    // The shortcuts' patterns cost ~0.2 ms to compile on their first use: more, for a process that
    // serves one request, than new URL() and a walk of the environ once.
    const quick = !environ['wsgi.run_once'];
    try {
        if (!hasBody && COMMON_METHODS.has(method) && fetchableHeaders(environ, quick)) {
            const href = (quick ? plainUrl(scheme, host, target) : null) ?? new URL(url).href;
            return new LightRequest(href, method, environ);
        }
    }
    catch {
        // Not a URL: undici's Request says why, below.
    }
    try {
        return new Request(url, requestInit(environ, method, hasBody));
    }
    catch (err) {
        throw new ProtocolError('the request cannot be made a fetch Request', describeBriefly(err));
    }
}
// What the URL parser gives back as it is (new URL() costs ~3 µs of a request): a host of
// lower-case DNS labels, none punycode ("xn--", which it checks) and the last not a number (it
// reads an IPv4 address then) unless the host is one as it writes them, and a port without a
// leading zero; a target with no dot segment (it resolves them, "%2e" too) and no character it
// percent-encodes (in a query, "'" too).
const PLAIN_HOST = /^((?!xn--)[a-z0-9-]+(?:\.(?!xn--)[a-z0-9-]+)*)(?::([1-9][0-9]{0,4}))?$/;
const NUMBER_LABEL = /(^|\.)([0-9]+|0x[0-9a-f]*)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const PLAIN_TARGET = /^(?!.*\/(\.|%2e))\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*(\?[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*)?$/i;
const DEFAULT_PORTS = { http: '80', https: '443' };
/** Returns the URL the parser would make of scheme, host and target when it is plainly them
 *  (without the scheme's default port), else null. */
function plainUrl(scheme, host, target) {
    const [, name, port] = PLAIN_HOST.exec(host) ?? [];
    if (name === undefined || !PLAIN_TARGET.test(target))
        return null;
    if (NUMBER_LABEL.test(name) && !IPV4.test(name))
        return null;
    if (port === undefined || port === DEFAULT_PORTS[scheme])
        return `${scheme}://${name}${target}`;
    return Number(port) <= 65535 ? `${scheme}://${name}:${port}${target}` : null;
}
// A field that may be an HTTP_ name holding a character a header name cannot: the first field is
// CONTENT_LENGTH, so a name follows a NUL (so may a value: the check then takes the long way).
const ODD_HTTP_NAME = /\0HTTP_[!#$%&'*+\-.^_`|~0-9A-Za-z]*[^\0!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** Returns what a Request is made with, besides its URL. */
function requestInit(environ, method, hasBody) {
    return {
        method,
        headers: requestHeaders(environ),
        body: hasBody ? ReadableStream.from(environ['wsgi.input']) : null,
        duplex: 'half', // the body streams in while the handler runs
        signal: environ['inetd_scgi.signal'],
    };
}
/** Returns whether a Request takes the request's headers: names that are tokens, values without
 *  a CR or LF (undici's checks: it refuses others). quick: told at once by the header block when
 *  it has no CR or LF and no odd name (~0.3 µs; the environ's keys, in dictionary mode, take
 *  ~1.5). */
function fetchableHeaders(environ, quick) {
    const block = quick ? environ[EXCHANGE]?.headerBlock() : undefined;
    const plain = block !== undefined && !block.includes('\r') && !block.includes('\n');
    if (plain && !ODD_HTTP_NAME.test(block))
        return true;
    for (const key in environ) {
        if (!key.startsWith('HTTP_'))
            continue;
        if (!TOKEN.test(key) || /[\r\n]/.test(environ[key]))
            return false;
    }
    return !/[\r\n]/.test(environ.CONTENT_TYPE ?? '');
}
// Methods a Request keeps as they are (others it upper-cases, or refuses).
const COMMON_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH']);
// Node's fetch classes come from undici, which loads on the first use of one: ~20 ms of a process.
// A handler that reads a request's method and URL and answers a status, headers and a string or
// bytes (Hono's c.text and c.json) needs none of it: LightRequest and LightResponse stand for
// undici's until something more is asked of them, then make the real one and pass it on.
/** A Request without a body: method, url and signal at hand; for anything else (headers, clone())
 *  undici's Request, made once as it would have been made. */
class LightRequest {
    method;
    url;
    #environ;
    #real = null;
    constructor(url, method, environ) {
        this.url = url;
        this.method = method;
        this.#environ = environ;
    }
    get signal() {
        return this.#real?.signal ?? this.#environ['inetd_scgi.signal'];
    }
    static {
        const real = (light) => (light.#real ??=
            new Request(light.url, requestInit(light.#environ, light.method, false)));
        delegate(LightRequest.prototype, real, ['body', 'bodyUsed', 'cache', 'credentials',
            'destination', 'duplex', 'headers', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer',
            'referrerPolicy'], ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text']);
    }
}
/** A Response of a status, headers and a string or bytes body; for anything else (its headers
 *  object, its body stream, clone()) undici's Response, made once as it would have been made. The
 *  global Response while a fetch handler is served (lightenFetch). */
class LightResponse {
    #made;
    #parts; // null once the real one is made
    #real = null;
    constructor(body = null, init) {
        this.#made = [body, init];
        this.#parts = lightParts(body, init);
        if (this.#parts === null)
            this.#materialize();
    }
    get status() {
        return this.#parts?.status ?? this.#real.status;
    }
    get statusText() {
        return this.#parts?.statusText ?? this.#real.statusText;
    }
    get ok() {
        return this.status >= 200 && this.status <= 299;
    }
    /** Returns value's status, headers and body if it is a LightResponse still light, else null. */
    static parts(value) {
        return value instanceof Object && #parts in value ? value.#parts : null;
    }
    /** Returns the undici Response a LightResponse stands for (made if need be), else value. */
    static real(value) {
        return value instanceof Object && #parts in value ? value.#materialize() : value;
    }
    #materialize() {
        this.#parts = null;
        return (this.#real ??= new (undiciClass('Response'))(...this.#made));
    }
    static [Symbol.hasInstance](value) {
        return (value instanceof Object && #parts in value) || isResponse(value);
    }
    static json(...args) {
        const real = undiciClass('Response');
        return Reflect.apply(real.json, real, args);
    }
    static redirect(...args) {
        const real = undiciClass('Response');
        return Reflect.apply(real.redirect, real, args);
    }
    static error() {
        return undiciClass('Response').error();
    }
    static {
        const real = (light) => light.#materialize();
        delegate(LightResponse.prototype, real, ['body', 'bodyUsed', 'headers', 'redirected', 'type',
            'url'], ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text']);
    }
}
/** Defines on proto getters and methods that pass each name on to the object real() returns. */
function delegate(proto, real, getters, methods) {
    for (const name of getters) {
        Object.defineProperty(proto, name, {
            get() {
                return Reflect.get(real(this), name);
            },
            configurable: true,
        });
    }
    for (const name of methods) {
        Object.defineProperty(proto, name, {
            value(...args) {
                const target = real(this);
                return Reflect.apply(Reflect.get(target, name), target, args);
            },
            configurable: true,
            writable: true,
        });
    }
}
// What a Response's header values may be as given: no control characters, no whitespace at either
// end (undici would strip it).
const PLAIN_VALUE = /^([\x21-\x7e\x80-\xff]([\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;
/** Returns what new Response(body, init) answers when it is that simple (a string or bytes body,
 *  a status from 200 to 599, headers as an object or pairs of plain, distinct names and values),
 *  else null: undici's Response is made, to do and check the rest as it does. */
function lightParts(body, init) {
    if (typeof init !== 'object' && init !== undefined)
        return null;
    const given = (init ?? {});
    const status = given.status ?? 200;
    const statusText = given.statusText ?? '';
    if (!Number.isInteger(status) || !(status >= 200 && status <= 599)) {
        return null;
    }
    if (typeof statusText !== 'string' || !FIELD_TEXT.test(statusText))
        return null;
    const bytes = typeof body === 'string' ? Buffer.from(body)
        : body instanceof Uint8Array ? Buffer.concat([body]) // a copy, as undici makes
            : body === null || body === undefined ? null : undefined;
    if (bytes === undefined)
        return null;
    if (bytes !== null && BODYLESS_STATUS.test(`${status} `))
        return null; // undici refuses it
    const headers = [];
    const raw = given.headers === undefined ? [] : given.headers;
    const plain = raw instanceof Object && Object.getPrototypeOf(raw) === Object.prototype;
    const pairs = Array.isArray(raw) ? raw : plain ? Object.entries(raw) : null;
    if (pairs === null)
        return null;
    const names = new Set();
    for (const pair of pairs) {
        const [name, value] = Array.isArray(pair) && pair.length === 2 ? pair : [];
        if (typeof name !== 'string' || typeof value !== 'string')
            return null;
        const lower = name.toLowerCase();
        if (!TOKEN.test(name) || !PLAIN_VALUE.test(value) || names.has(lower))
            return null;
        names.add(lower);
        headers.push([lower, value]);
    }
    if (typeof body === 'string' && !names.has('content-type')) {
        headers.push(['content-type', 'text/plain;charset=UTF-8']);
    }
    headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // as a Headers object lists them
    return { status: status, statusText, headers, body: bytes };
}
/** Returns the request's path and query as the client sent them: REQUEST_URI (all three fronts send
 *  it), else rebuilt from the CGI variables (a CGI host need not send it). */
function requestTarget(environ) {
    const uri = environ.REQUEST_URI;
    if (typeof uri === 'string' && uri.startsWith('/'))
        return uri;
    return encodePath(environ.SCRIPT_NAME + environ.PATH_INFO) + query(environ);
}
/** Returns the path and query below the mount point (SCRIPT_NAME), for a listener's req.url: the
 *  request's own bytes when its target starts with the mount, else PATH_INFO encoded again. */
function targetBelowMount(environ) {
    const full = requestTarget(environ);
    const mount = environ.SCRIPT_NAME;
    if (mount === '')
        return full;
    const rest = full.startsWith(mount) ? full.slice(mount.length) : null;
    if (rest !== null && /^([/?]|$)/.test(rest))
        return rest.startsWith('/') ? rest : `/${rest}`;
    return (encodePath(environ.PATH_INFO) || '/') + query(environ);
}
/** Returns a decoded path (latin-1: a character per byte) with each byte a URL path cannot hold
 *  as %XX again. */
function encodePath(path) {
    const hex = (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, hex);
}
/** Returns "?" and the query string, or "" when there is none. */
function query(environ) {
    return environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
}
// Passed by nginx beside CONTENT_TYPE and CONTENT_LENGTH, which every front sends.
const SHADOWED = new Set(['HTTP_CONTENT_TYPE', 'HTTP_CONTENT_LENGTH']);
// Methods whose clients send "Content-Length: 0" for an empty body (curl, browsers, Node's client).
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Returns the request headers as [lower-case name, value] pairs: the HTTP_* variables,
 *  Content-Type and Content-Length. */
function requestHeaders(environ) {
    const pairs = [];
    for (const key in environ) {
        if (key.startsWith('HTTP_') && !SHADOWED.has(key)) {
            pairs.push([headerName(key), environ[key]]);
        }
    }
    if (environ.CONTENT_TYPE)
        pairs.push(['content-type', environ.CONTENT_TYPE]);
    // SCGI always sends a length. A client that sent chunks (nginx has de-chunked and counted
    // them, and passes HTTP_TRANSFER_ENCODING) gets none, as from Node's own server, which never
    // shows both; "0" is a header only if the client sent one (nginx says so with
    // HTTP_CONTENT_LENGTH): body parsers such as express.json() skip a request that has none.
    const sent = environ.CONTENT_LENGTH !== '0' || environ.HTTP_CONTENT_LENGTH !== undefined
        || BODY_METHODS.has(environ.REQUEST_METHOD ?? 'GET');
    const chunked = environ.HTTP_TRANSFER_ENCODING !== undefined;
    if (sent && !chunked)
        pairs.push(['content-length', environ.CONTENT_LENGTH]);
    return pairs;
}
// Header names by variable, made once: a request's dozen are the same from request to request.
// Bounded, since clients choose them.
const HEADER_NAMES = new Map();
const HEADER_NAMES_LIMIT = 256;
/** Returns the header name of an HTTP_* variable: "user-agent" for HTTP_USER_AGENT. */
function headerName(key) {
    let name = HEADER_NAMES.get(key);
    if (name === undefined) {
        name = key.slice(5).replaceAll('_', '-').toLowerCase();
        if (HEADER_NAMES.size < HEADER_NAMES_LIMIT)
            HEADER_NAMES.set(key, name);
    }
    return name;
}
/** Returns an app that runs a Node request listener on a real http.IncomingMessage and
 *  http.ServerResponse (public APIs only); what the listener writes becomes the CGI response. */
function listenerApp(listener) {
    // Asked for once, not per request: each getBuiltinModule() call costs ~0.5 µs.
    const { IncomingMessage, ServerResponse } = process.getBuiltinModule('node:http');
    const app = (environ, startResponse) => new Promise((resolve, reject) => {
        const flow = { sent: SETTLED, last: null };
        // A cast: the stand-in has what Node and the middleware seen use of a net.Socket.
        const socket = new ListenerSocket(environ, flow);
        const req = listenerRequest(environ, new IncomingMessage(socket));
        const res = listenerResponse(new ServerResponse(req), startResponse, flow);
        let failure;
        socket.on('error', (err) => (failure = err)); // a write failed: the client went away
        let gone;
        const exchange = environ[EXCHANGE];
        exchange?.whenGone((why) => ((gone = why), req.destroy(), socket.destroy()));
        res.on('finish', () => {
            // As Node's server does: the request ends with the response ('close' on both).
            if (req.complete)
                req.resume();
            else
                req.destroy();
            // After the writes it still holds: destroying it now would fail each.
            socket.end(() => socket.destroy());
            resolve(flow.last ? [flow.last] : []);
        });
        // 'close' before 'finish': the connection is gone.
        const closed = () => failure ?? gone ?? new Error('the connection closed');
        res.on('close', () => res.writableFinished || reject(closed()));
        const result = listener(req, res);
        if (isThenable(result))
            result.then(undefined, reject);
    });
    KINDS.set(app, 'Node (req, res) listener');
    return app;
}
/** The request's socket as the listener sees it: the addresses from the environ, no bytes. Not a
 *  stream: an EventEmitter with what Node's request and response call on their socket (write, cork,
 *  uncork, destroy, and the fields they read) and what middleware reads (addresses, readable,
 *  writable, setTimeout). A Duplex's two states and its ticks cost a Koa or Fastify request 6-10%
 *  more under load on Node 20. What ServerResponse writes here (its HTTP/1.1 framing) is dropped
 *  once the same bytes, forwarded by write() and end(), are out: so write callbacks and 'finish'
 *  keep the pace of the real connection. */
class ListenerSocket extends node_events_1.EventEmitter {
    remoteAddress;
    remotePort;
    localAddress;
    localPort;
    encrypted; // as a TLSSocket has it
    readable = true;
    writable = true;
    destroyed = false;
    // Never full or corked, so that Node never waits for a 'drain' only its own server would pass
    // on: res.write() says when to wait (see listenerResponse). Node's end() (20, 22 and 24) sets
    // _writableState.corked.
    writableHighWaterMark = Number.MAX_SAFE_INTEGER;
    writableLength = 0;
    writableCorked = 0;
    _writableState = { corked: 0 };
    flow;
    pending = 0; // writes not yet out
    ended = null; // end()'s callback, once they are
    constructor(environ, flow) {
        super();
        const port = (name) => (environ[name] === undefined ? undefined : Number(environ[name]));
        // Strings, as the web server sends every header.
        this.remoteAddress = environ.REMOTE_ADDR;
        this.remotePort = port('REMOTE_PORT');
        this.localAddress = environ.SERVER_ADDR;
        this.localPort = port('SERVER_PORT');
        this.encrypted = environ['wsgi.url_scheme'] === 'https' || undefined;
        this.flow = flow;
    }
    /** Takes ServerResponse's framed bytes; calls back when the chunk forwarded with them is out. */
    write(_framed, encoding, callback) {
        const done = typeof encoding === 'function' ? encoding : callback;
        this.pending++;
        // A microtask later: write() and end() forward their chunk right after ServerResponse writes
        // here. With nothing forwarded (end()'s chunk goes as the body), no promise: each one costs.
        queueMicrotask(() => this.flow.sent === SETTLED ? this.written(done)
            : this.flow.sent.then(() => this.written(done), (err) => {
                this.destroy(err); // as a net.Socket whose write failed: 'error', then 'close'
                this.written(done, err);
            }));
        return true;
    }
    /** Ends the socket once its writes are out; then calls callback. */
    end(callback) {
        this.writable = false;
        this.ended = callback;
        if (this.pending === 0)
            queueMicrotask(() => this.finish());
        return this;
    }
    /** Destroys the socket: 'error' (when given one) and 'close' follow on the next tick. */
    destroy(err) {
        if (this.destroyed)
            return this;
        this.destroyed = true;
        this.readable = this.writable = false;
        process.nextTick(() => {
            if (err)
                this.emit('error', err);
            this.emit('close', err !== undefined);
        });
        return this;
    }
    written(done, err) {
        this.pending--;
        if (typeof done === 'function')
            done(err);
        if (this.pending === 0)
            this.finish();
    }
    finish() {
        const ended = this.ended;
        this.ended = null;
        ended?.();
    }
    // net.Socket's, which Node's response and some middleware call: there is nothing to cork, and
    // the web server and our options own the timeouts.
    cork() { }
    uncork() { }
    setTimeout() { return this; }
    setNoDelay() { return this; }
    setKeepAlive() { return this; }
    pause() { return this; }
    resume() { return this; }
}
/** Makes req, just made, the environ's request, its body read from wsgi.input; returns it. */
function listenerRequest(environ, req) {
    const protocol = String(environ.SERVER_PROTOCOL);
    const version = /^HTTP\/([0-9])\.([0-9])$/.exec(protocol) ?? ['', '1', '1'];
    req.method = environ.REQUEST_METHOD ?? 'GET';
    // Below the mount point, as a router mounted there sees it; Express keeps the whole in
    // originalUrl.
    req.url = targetBelowMount(environ);
    if (environ.SCRIPT_NAME !== '')
        Object.assign(req, { originalUrl: requestTarget(environ) });
    req.httpVersion = `${version[1]}.${version[2]}`;
    req.httpVersionMajor = Number(version[1]);
    req.httpVersionMinor = Number(version[2]);
    const headers = {};
    const raw = [];
    for (const [name, value] of requestHeaders(environ)) {
        headers[name] = value;
        raw.push(name, value);
    }
    req.headers = headers;
    req.rawHeaders = raw;
    const end = () => {
        // Set by Node's parser; without it the end of the stream counts as an abort.
        req.complete = true;
        req.push(null);
    };
    if (environ.CONTENT_LENGTH === '0')
        end();
    else {
        const chunks = environ['wsgi.input'][Symbol.asyncIterator]();
        // read(0) asks for the next chunk, as a Readable does by itself, except this one:
        // IncomingMessage waits for its parser to push. An own property, not a subclass: Express
        // replaces req's prototype.
        const more = ({ done, value }) => (done ? end() : req.push(value) && req.read(0));
        req._read = () => void chunks.next().then(more, (err) => req.destroy(err));
    }
    return req;
}
/** Makes res, just made, send its head to startResponse and its body to startResponse's write();
 *  returns it. Node's own methods keep their checks and events; the overrides are own properties,
 *  since Express replaces res's prototype with its own. */
function listenerResponse(res, startResponse, flow) {
    const node = Object.getPrototypeOf(res); // not yet replaced by Express's
    const req = res.req;
    const socket = req.socket;
    let write = null; // set once the head is given to startResponse
    const begin = () => (write ??= startResponse(`${res.statusCode} ${res.statusMessage}`, responseHeaders(res)));
    // A chunk as Node's write() and end() take it: a string in the encoding given, or bytes.
    const bytes = (chunk, encoding) => (typeof chunk === 'string'
        ? Buffer.from(chunk, encoding ?? 'utf8') : toBuffer(chunk));
    // As Node's own server: a response to HEAD has headers only, whatever the listener writes.
    const bodyless = req.method === 'HEAD';
    const forward = (chunk, encoding) => {
        if (socket.destroyed)
            return; // the client went away: 'close' tells the listener
        begin();
        if (chunk === undefined || chunk === null || bodyless)
            return;
        flow.sent = write(bytes(chunk, encoding));
    };
    res.sendDate = false; // the web server adds Date
    res.assignSocket(socket);
    res.writeHead = (statusCode, message, headers) => {
        // Headers given only to writeHead stay out of getHeaders(): set them, and Node sees them as
        // such.
        if (typeof message !== 'string')
            [headers, message] = [message, undefined];
        if (Array.isArray(headers)) {
            for (let i = 0; i + 1 < headers.length; i += 2)
                res.appendHeader(headers[i], headers[i + 1]);
        }
        else
            for (const [name, value] of Object.entries(headers ?? {}))
                res.setHeader(name, value);
        return Reflect.apply(node.writeHead, res, [statusCode, message]);
    };
    res.write = (chunk, encoding, callback) => {
        Reflect.apply(node.write, res, [chunk, encoding, callback]); // Node's checks, head, callback
        forward(chunk, typeof encoding === 'string' ? encoding : undefined);
        // Wait for 'drain' (pipe() does): it comes when this chunk is out, so a fast producer is held
        // to the client's pace and memory stays flat.
        const sent = flow.sent;
        sent.then(() => flow.sent === sent && res.emit('drain'), () => { });
        return false;
    };
    res.end = (chunk, encoding, callback) => {
        if (typeof chunk === 'function')
            [chunk, callback] = [undefined, chunk];
        else if (typeof encoding === 'function')
            [encoding, callback] = [undefined, encoding];
        if (res.writableEnded)
            return Reflect.apply(node.end, res, [callback]);
        Reflect.apply(node.end, res, [chunk, encoding, callback]);
        if (write === null && chunk !== undefined && chunk !== null && !socket.destroyed && !bodyless) {
            begin();
            flow.last = bytes(chunk, encoding);
        }
        else
            forward(chunk, encoding);
        return res;
    };
    res.flushHeaders = () => {
        node.flushHeaders.call(res);
        forward('', undefined); // an empty write() sends the head
    };
    return res;
}
/** Returns a ServerResponse's headers as [name, value] pairs, a pair per value, without Node's
 *  framing ones. */
function responseHeaders(res) {
    const pairs = [];
    // The names as the listener cased them (Node 15.13 on; @types/node lacks the method).
    const raw = res;
    for (const name of raw.getRawHeaderNames()) {
        const value = res.getHeader(name);
        if (value === undefined || TRANSPORT_HEADERS.has(name.toLowerCase()))
            continue;
        for (const one of Array.isArray(value) ? value : [value])
            pairs.push([name, String(one)]);
    }
    return pairs;
}
// ---- The command line ---------------------------------------------------------------------------
const USAGE = `usage: node inetd-scgi.cjs APP_MODULE [options]
Serves SCGI requests with the app that APP_MODULE exports: a fetch handler if its default
export has a fetch method or it exports a function named fetch; else a PEP 3333 app, its
default export or its export named "app" (or the (req, res) listener there, with --app-type
node). By default: the one request on stdin/stdout (inetd "nowait"), or the one CGI request
when GATEWAY_INTERFACE is set. Long-running, with --wait, --listen or systemd's LISTEN_FDS.
  --check                  check the set-up instead of serving, as the service user: load the
                           app, open the error log, serve one request in-process; print "ok"
                           or what is wrong, exit 0 or 1
  --help, --version        print this, or the version
  --app-type TYPE          wsgi: (environ, startResponse); fetch: (request) => Response;
                           node: (req, res), an Express, connect or Koa (app.callback()) app
  --errors FILE            append the error log to FILE (default: stderr unless it is the
                           connection)
  --script-name PREFIX     where the app is mounted, e.g. /app: SCRIPT_NAME=PREFIX,
                           PATH_INFO=the rest
  --max-header-bytes N     largest SCGI header block (default ${DEFAULTS.maxHeaderBytes})
  --header-timeout MS      time for the header block to arrive (default ${DEFAULTS.headerTimeout})
  --body-timeout MS        time allowed between body chunks (default ${DEFAULTS.bodyTimeout})
  --write-timeout MS       time the web server gets to take each response chunk (default
                           ${DEFAULTS.writeTimeout}; per connection, past the response's first
                           64 KiB)
  --request-timeout MS     time the app gets for its whole response (default: no limit);
                           then 504
  --wait                   accept connections on the listening socket on stdin (inetd "wait")
  --listen ADDRESS         listen on a unix socket path or HOST:PORT (under a supervisor)
  --socket-mode MODE       permissions of the --listen unix socket, in octal, e.g. 660
  --idle-timeout MS        exit after MS with no connection open (default
                           ${DEFAULTS.idleTimeout} with --wait or LISTEN_FDS, never with
                           --listen; 0: never)
  --shutdown-timeout MS    on SIGTERM, time for the requests in flight (default
                           ${DEFAULTS.shutdownTimeout}); then, or at a second SIGTERM, they
                           are cut
  --max-connections N      most connections at once; more are closed (default
                           ${DEFAULTS.maxConnections})
`;
const NUMBER_FLAGS = {
    '--max-header-bytes': 'maxHeaderBytes',
    '--header-timeout': 'headerTimeout',
    '--body-timeout': 'bodyTimeout',
    '--request-timeout': 'requestTimeout',
    '--write-timeout': 'writeTimeout',
    '--idle-timeout': 'idleTimeout',
    '--shutdown-timeout': 'shutdownTimeout',
    '--max-connections': 'maxConnections',
};
const STRING_FLAGS = {
    '--errors': 'errors', '--script-name': 'scriptName', '--listen': 'listen',
};
const APP_TYPES = ['wsgi', 'fetch', 'node'];
/** Returns the app module's path, its type if named, and the options from the command-line
 *  arguments; throws on bad usage. */
function parseArgs(args) {
    const options = {};
    let module;
    let appType;
    for (let i = 0; i < args.length; i++) {
        const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i]];
        if (!flag.startsWith('-')) {
            if (module !== undefined) {
                throw new Error(`one app module only; got ${quote(module)} and ${quote(flag)}`);
            }
            module = flag;
            continue;
        }
        if (flag === '--wait' && inline === undefined) {
            options.wait = true;
            continue;
        }
        const value = inline ?? args[++i];
        if (value === undefined)
            throw new Error(`${flag} needs a value`);
        if (flag in STRING_FLAGS)
            options[STRING_FLAGS[flag]] = value;
        else if (flag in NUMBER_FLAGS) {
            // Only the idle timeout has a meaning for 0 (never); a zero limit or timeout would refuse
            // everything.
            const whole = flag === '--idle-timeout' ? /^(0|[1-9][0-9]*)$/ : /^[1-9][0-9]*$/;
            if (!whole.test(value)) {
                throw new Error(`${flag} must be a positive whole number; got ${quote(value)}`);
            }
            options[NUMBER_FLAGS[flag]] = Number(value);
        }
        else if (flag === '--app-type') {
            if (!APP_TYPES.includes(value)) {
                throw new Error(`--app-type must be one of ${APP_TYPES.join(', ')}; got ${quote(value)}`);
            }
            appType = value;
        }
        else if (flag === '--socket-mode') {
            if (!/^[0-7]{3,4}$/.test(value)) {
                throw new Error(`--socket-mode must be octal permissions like 660; got ${quote(value)}`);
            }
            options.socketMode = parseInt(value, 8);
        }
        else
            throw new Error(`unknown option ${quote(flag)}`);
    }
    if (module === undefined)
        throw new Error('the app module is missing');
    return appType === undefined ? { module, options } : { module, options, appType };
}
/** Returns the app a module exports, as the usage text says; type, if given, names its kind. A
 *  (req, res) listener needs it: it is a function of two arguments, as a PEP 3333 app is, and is
 *  never guessed. */
async function loadApp(file, type) {
    const path = (0, node_path_1.resolve)(file);
    // require() is the fast path (the ESM loader adds 5-9 ms); ES modules it cannot load go to
    // import().
    let exports;
    try {
        exports = path.endsWith('.mjs') ? await import((0, node_url_1.pathToFileURL)(path).href) : requireFrom(path);
    }
    catch (err) {
        const esm = ['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE'].includes(errorCode(err));
        if (!esm)
            throw err;
        exports = await import((0, node_url_1.pathToFileURL)(path).href);
    }
    const m = exports;
    // An object with a fetch method as the default export (Hono, Bun, Deno), or a function named
    // fetch.
    const server = [m?.default, m].find((candidate) => typeof candidate?.fetch === 'function');
    if (server && (type === undefined || type === 'fetch')) {
        return fetchApp((request) => server.fetch.call(server, request));
    }
    const candidates = [m, m?.default, m?.app, m?.default?.app];
    const app = candidates.find((candidate) => typeof candidate === 'function');
    if (app === undefined) {
        const fetch = 'a fetch handler may also be a default export with a fetch method, '
            + 'or an export named fetch';
        throw new Error(`${file} exports no app: `
            + `export a function as its default export or as "app" (${fetch})`);
    }
    return type === 'fetch' ? fetchApp(app)
        : type === 'node' ? listenerApp(app) : app;
}
/** The version of this file, as `--version` prints it. */
exports.VERSION = '0.1.0';
/** Returns require(path). Not node:module's createRequire unless needed: it loads the ESM loader
 *  (~0.5 ms). */
function requireFrom(path) {
    if (typeof require === 'function')
        return require(path);
    return process.getBuiltinModule('node:module').createRequire(path)(path);
}
/** Runs the command line: serves the app module named in args, in the mode they or the environment
 *  name. */
function main(args) {
    if (args.includes('--help'))
        return void (0, node_fs_1.writeSync)(1, USAGE);
    if (args.includes('--version'))
        return void (0, node_fs_1.writeSync)(1, `inetd-scgi ${exports.VERSION}\n`);
    const checking = args.includes('--check');
    let parsed;
    let listeners;
    try {
        parsed = parseArgs(args.filter((arg) => arg !== '--check'));
        listeners = listenersFor(parsed.options);
    }
    catch (err) {
        return badUsage(args, err);
    }
    if (checking)
        return void check(parsed, listeners).then((ok) => process.exit(ok ? 0 : 1));
    serve(() => loadApp(parsed.module, parsed.appType), settle(parsed.options), listeners, parsed.module);
}
// The oldest Node this file runs on (package.json's engines): require() of ES modules,
// process.getBuiltinModule.
const NODE_MIN = [20, 19];
/** --check: says, on stdout, how the command line would serve and whether it can: the Node version,
 *  the mode, the error log opened for appending, the app loaded and one canned request served
 *  in-process. Resolves to whether all is well. */
async function check(parsed, listeners) {
    setEnvironment(false); // as serving sets it (the canned request is not a CGI one)
    let problems = 0;
    const say = (line, problem = false) => {
        problems += problem ? 1 : 0;
        (0, node_fs_1.writeSync)(1, `${problem ? 'PROBLEM: ' : ''}${line}\n`);
    };
    const [major, minor] = process.version.slice(1).split('.').map(Number);
    const old = major < NODE_MIN[0] || (major === NODE_MIN[0] && minor < NODE_MIN[1]);
    const needs = old ? `: needs ${NODE_MIN.join('.')} or later` : '';
    say(`inetd-scgi ${exports.VERSION} on Node ${process.version}${needs}`, old);
    say(`mode: ${modeOf(parsed.options, listeners)}`);
    const { errors } = parsed.options;
    if (errors === undefined) {
        const where = 'stderr, or nowhere where it is the connection (inetd)';
        say(`error log: none given (--errors FILE): ${where}`);
    }
    else {
        try {
            (0, node_fs_1.closeSync)((0, node_fs_1.openSync)(errors, 'a'));
            say(`error log: ${errors}, opened for appending`);
        }
        catch (err) {
            say(`error log: cannot open ${errors} for appending: ${describeBriefly(err)}`, true);
        }
    }
    let app;
    try {
        app = await loadApp(parsed.module, parsed.appType);
        say(`app: ${parsed.module}, served as a ${KINDS.get(app) ?? 'PEP 3333 app'}`);
    }
    catch (err) {
        say(`app: ${parsed.module} cannot be loaded: ${describe(err)}`, true);
        say(`not ok: ${problems} problem(s)`);
        return false;
    }
    const { status, logged } = await cannedRequest(app, parsed.options);
    const hint = parsed.appType === undefined && !KINDS.has(app) && app.length >= 2
        ? ' (if it is a (req, res) listener, such as an Express or Koa app, say --app-type node)' : '';
    const failed = !/^[23]/.test(status);
    const why = failed ? `${hint}; the log says: ${logged.trim() || 'nothing'}` : '';
    say(`a canned request, GET /: ${status}${why}`, failed);
    say(problems === 0 ? 'ok' : `not ok: ${problems} problem(s)`);
    return problems === 0;
}
/** Returns how the options and the environment have the process serve, in words. */
function modeOf(options, listeners) {
    if (options.wait) {
        return 'long-running on the listening socket inetd passes on fd 0 (a "wait" line)';
    }
    if (options.listen !== undefined)
        return `long-running, listening on ${options.listen}`;
    if (listeners) {
        return `long-running on the ${listeners.length} socket(s) systemd passes (LISTEN_FDS)`;
    }
    if (process.env.GATEWAY_INTERFACE !== undefined)
        return 'the one CGI request a CGI host passes';
    return 'per connection: the one request on fds 0 and 1 (inetd "nowait"), then exit';
}
/** Serves GET / to app in-process; resolves to the response's status line and what was logged. */
async function cannedRequest(app, options) {
    const headers = Object.assign(Object.create(null), {
        CONTENT_LENGTH: '0', SCGI: '1', REQUEST_METHOD: 'GET', REQUEST_URI: '/',
        SERVER_NAME: 'localhost', SERVER_PORT: '80', HTTP_HOST: 'localhost',
        SERVER_PROTOCOL: 'HTTP/1.1',
    });
    const output = [];
    const conn = {
        read: (max, done) => done(null, null), // the request is given whole, with no body
        write(data, done) {
            output.push(Buffer.concat([data]));
            done(null);
        },
    };
    let logged = '';
    const log = new (class extends ErrorLog {
        write(data) {
            logged += toBuffer(data).toString('utf8');
        }
    })(undefined, []);
    const request = () => ({ headers, contentLength: 0, bodyStart: Buffer.alloc(0) });
    const limited = { ...options, requestTimeout: options.requestTimeout ?? 10_000 };
    await new Exchange(conn, log, settle(limited)).run(app, request);
    const head = /^Status: (.*)\r\n/.exec(Buffer.concat(output).toString('latin1'));
    const status = head?.[1] ?? 'no response';
    return { status, logged };
}
/** Says what is wrong with the command line wherever it can be seen, and exits: in the error log it
 *  names, even if other arguments are bad; on stderr unless it is the connection; and under inetd,
 *  per connection, as a plain 500 to the request, for the browser and nginx's log (exit 1). Else
 *  exit 2. */
function badUsage(args, err) {
    const errors = args.find((arg, i) => args[i - 1] === '--errors')
        ?? args.find((arg) => arg.startsWith('--errors='))?.slice('--errors='.length);
    const message = `bad command line: ${describeBriefly(err)}`;
    if (!stderrIsConnection([0, 1]))
        (0, node_fs_1.writeSync)(2, `inetd-scgi: ${describeBriefly(err)}\n${USAGE}`);
    if (isSocket(0) && sameFile(0, 1) && !args.includes('--wait')) {
        const setup = new SetupError('bad command line', message);
        return serveOne(() => Promise.reject(setup), settle({ errors }));
    }
    if (errors !== undefined)
        new ErrorLog(errors, [0, 1]).line(message);
    process.exit(2);
}
const isMain = typeof module === 'object' ? require.main === module
    : /inetd-scgi\.[cm]?ts$/.test(process.argv[1] ?? '');
if (isMain)
    main(process.argv.slice(2));
