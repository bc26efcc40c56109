import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
/** What runApp and the command line can change. Times are in milliseconds. */
export interface Options {
    /** File the error log is appended to. Default: fd 2 when it is not the connection, else
     *  nowhere. */
    errors?: string;
    /** Where the app is mounted, e.g. "/app": SCRIPT_NAME becomes it, PATH_INFO the rest of the
     *  path. */
    scriptName?: string;
    /** Largest header block accepted (64 KiB). */
    maxHeaderBytes?: number;
    /** Time for the whole header block to arrive (10 s); after it the connection is dropped. */
    headerTimeout?: number;
    /** Time allowed between two chunks of the request body (60 s); then the connection is dropped. */
    bodyTimeout?: number;
    /** Time the web server gets to take each chunk of the response (60 s); then the connection is
     *  dropped. From the response's 64 KiB on (the kernel takes the first at once). */
    writeTimeout?: number;
    /** Time the app gets for the whole response, from the request's arrival (default: no limit, as a
     *  stream of server-sent events may run for hours); then 504 if no header went out, else cut. */
    requestTimeout?: number;
    /** Long-running: accept connections on the listening socket inetd hands over on fd 0 ("wait"). */
    wait?: boolean;
    /** Long-running: listen on a unix socket path or HOST:PORT (under a supervisor). */
    listen?: string;
    /** Permissions of the unix socket --listen creates, e.g. 0o660 (default: as the umask says). */
    socketMode?: number;
    /** Long-running: exit after this long with no connection open (0: never), handing an inherited
     *  socket back to the super-server. Default: 60 s on an inherited socket, never with --listen. */
    idleTimeout?: number;
    /** Long-running: on SIGTERM or SIGINT, time the requests in flight get to finish (10 s); then
     *  they are cut, as at once on a second signal. */
    shutdownTimeout?: number;
    /** Long-running: most connections open at once (1024: their header blocks hold at most ~70 MB);
     *  new ones past it are closed at once. */
    maxConnections?: number;
}
/** The options with every default filled in: made once, by settle(). */
export type Settings = Options & Required<Pick<Options, keyof typeof DEFAULTS>>;
declare const DEFAULTS: {
    scriptName: string;
    maxHeaderBytes: number;
    headerTimeout: number;
    bodyTimeout: number;
    writeTimeout: number;
    idleTimeout: number;
    shutdownTimeout: number;
    maxConnections: number;
};
/** Returns the options with the defaults filled in where they are undefined. */
export declare function settle(options?: Options): Settings;
/** Serves app in the mode the options or the environment name, each explicit, never guessed:
 *  - options.listen, options.wait or systemd's LISTEN_FDS: long-running, many connections at once;
 *  - GATEWAY_INTERFACE set (a CGI host started the process): its one CGI request, then exit;
 *  - else inetd per connection: the one SCGI request on fds 0 and 1, then exit. */
export declare function runApp(app: App | Promise<App>, options?: Options): void;
/** A piece of the response body: bytes, or a string sent as UTF-8. */
export type Chunk = string | Uint8Array;
/** What an app returns: a chunk, or an iterable or async iterable (a Node Readable too) of them. */
export type Body = Chunk | Iterable<Chunk> | AsyncIterable<Chunk>;
/** Sends a chunk at once (PEP 3333's write()); the promise settles when the kernel has the
 *  bytes. */
export type Write = (chunk: Chunk) => Promise<void>;
/** Sets the status ("200 OK") and headers; returns write. excInfo is the caught error when
 *  replacing them. */
export type StartResponse = (status: string, headers: [string, string][], excInfo?: unknown) => Write;
/** A PEP 3333 application. */
export type App = (environ: Environ, startResponse: StartResponse) => Body | Promise<Body>;
/** Where wsgi.errors, console output and the app's process.stdout/stderr writes go: the log. */
export interface ErrorStream {
    write(chunk: Chunk, encoding?: unknown, callback?: unknown): boolean;
    flush(): void;
}
/** The request: every SCGI header as a latin-1 string, plus the wsgi.* keys. */
export interface Environ {
    [name: string]: unknown;
    CONTENT_LENGTH: string;
    REQUEST_METHOD?: string;
    QUERY_STRING?: string;
    CONTENT_TYPE?: string;
    SCRIPT_NAME: string;
    PATH_INFO: string;
    'wsgi.version': [1, 0];
    'wsgi.url_scheme': 'http' | 'https';
    'wsgi.input': Readable;
    'wsgi.errors': ErrorStream;
    'wsgi.multithread': boolean;
    'wsgi.multiprocess': boolean;
    'wsgi.run_once': boolean;
    /** Aborted if the client goes away before the response ends (seen once the request body is
     *  read; never on a pipe or under a CGI host). */
    'inetd_scgi.signal'?: AbortSignal;
}
/** How this process serves requests, as the environ tells the app (PEP 3333's wsgi.* flags). */
export interface Serving {
    /** Other requests may run in this process while this one does (the long-running modes). */
    multithread: boolean;
    /** Other processes may serve the same app at the same time. */
    multiprocess: boolean;
    /** The process serves this one request and exits (inetd per connection, CGI). */
    runOnce: boolean;
}
/** The SCGI headers, by name. Null-prototype: "__proto__" from the wire is an ordinary key. */
export type Headers = Record<string, string>;
/** A node-style callback: an error, or null and the value. */
export type Done<T> = (err: Error | null, value: T) => void;
/** A byte stream to the web server: fds 0 and 1 (fdConnection) or an accepted socket
 *  (socketConnection). Callbacks, not promises: each promise costs a request (more so under
 *  AsyncLocalStorage's hooks, on Node 20 and 22); a step makes one of them (Clock.limit). */
export interface Connection {
    /** Passes done the next bytes, at most max (a socket's own buffer, not a copy); null at EOF. */
    read(max: number, done: Done<Buffer | null>): void;
    /** Calls done when all of data is out. */
    write(data: Uint8Array, done: Done<void>): void;
    /** Calls listener when the web server closes the connection (with the error, if it failed), a
     *  sign that the client went away; asked only once the request body is read. Never calls it
     *  where EOF is no such sign (a pipe, a CGI host's stdin). */
    whenClosed?(listener: (failure: Error | undefined) => void): void;
}
/** How an exchange ended: "done" (the response went out, or no request came), "failed" (an error,
 *  answered or logged), or "given up": a limit ran out, or the connection closed under an app still
 *  running, so what was waited for may still be pending; the connection is dropped at once, and a
 *  one-request process ends at once. */
export type Outcome = 'done' | 'failed' | 'given up';
/** The status and headers of a response, checked, as they will be written. */
export interface ResponseHead {
    status: string;
    headers: [string, string][];
    /** Whether a Content-Length may be added: the app set none, the status allows a body, and
     *  write() was not called (the body is not known up front). */
    mayAddLength: boolean;
}
/** One request and its response, in the order of PEP 3333 (wsgiref's handler, in small steps). */
export declare class Exchange {
    private readonly conn;
    private readonly log;
    private readonly settings;
    private readonly serving;
    private readonly clock;
    private state;
    private request;
    private body;
    private head;
    private output;
    private sent;
    private gone;
    private onGone;
    private watched;
    private closedUnder;
    private requestRead;
    private onRequestRead;
    constructor(conn: Connection, log: ErrorLog, settings?: Settings, serving?: Serving);
    /** Reads the request (an SCGI one from the connection, unless given), calls the app and sends
     *  its response; returns how it ended. */
    run(app: App | Promise<App>, given?: () => RequestHead): Promise<Outcome>;
    /** Takes the request that was read, and returns its environ: the app may be called. */
    private start;
    /** Returns the request's method and URI, for the log. */
    summary(): string;
    /** Answers a request that could not be read: 400 (or 431) for a broken one, nothing for a
     *  stalled one. The body of a broken request is not drained: its framing cannot be trusted. */
    private refuse;
    /** Watches the connection from the end of the request body (until then a read of the
     *  connection takes body bytes), for it closing before the response ends. */
    private watch;
    /** The connection closed before the response ended: the client went away. The app is told by
     *  the signal, if it took it (or an adapter by its whenGone() listener), and then has
     *  WATCH_AFTER_MS to end by itself; else it is given up at once. */
    private closedEarly;
    /** Returns the environ's inetd_scgi.signal, aborted if the connection closes before the
     *  response ends. */
    signal(): AbortSignal;
    /** Returns the request's header block as it came (latin-1 text), if it came as SCGI. */
    headerBlock(): string | undefined;
    /** Tells an adapter's listener if the client goes away before the response ends: watched and
     *  told as the signal is, without making an AbortSignal (~6 µs of a request on Node 20). */
    whenGone(listener: (why: Error) => void): void;
    /** PEP 3333's start_response: checks status and headers now, so a bad one fails in the app's
     *  call. */
    readonly startResponse: StartResponse;
    /** PEP 3333's write(): queues a chunk; the promise settles when it is out. The first call sends
     *  the head even with an empty chunk, as PEP 3333 says (a way to flush it, for server-sent
     *  events). */
    readonly write: Write;
    /** Sends the app's body, adding Content-Length when the whole body is known up front (as
     *  wsgiref), unless the app set one or the status forbids one. Not for HEAD: the body an app
     *  returns then is usually empty, and the length is the GET response's. */
    private send;
    /** Sends a body of unknown length, chunk by chunk as the app makes them. */
    private stream;
    /** Queues bytes behind earlier writes. The first non-empty chunk (or, if flush, any) sends the
     *  head first. now: the app has returned. With nothing queued the write starts at once then, or
     *  when the body has all been read (while the app runs, a write starting at once would drain the
     *  body under a read it is making). */
    private queue;
    /** Drains the unread body, then writes the head with the first bytes of the body. */
    private sendHead;
    /** Writes the head with the first bytes of the body, or before them if they are many. */
    private writeHead;
    /** Writes data; past the response's first SYNC_WRITE_LIMIT bytes, which the kernel's socket
     *  buffer takes at once, the web server gets --write-timeout to take each write. */
    private bounded;
    /** Ends the exchange after an error: logs it, and sends a 500 (a 400, a 504) if no header went
     *  out yet; gives up on the connection when the request or the client cannot be waited for. */
    fail(err: unknown): Promise<Outcome>;
}
/** A request's one timer, set for the nearest thing due: the end of a step (the header block, a
 *  body chunk, a write), bounded by the step's own limit; the watch's start (WATCH_AFTER_MS); the
 *  request's deadline (--request-timeout), which no step outlasts. A nearer time resets the timer;
 *  a later one waits for it to fire. It is set no further ahead than the watch's delay, so that the
 *  header block's step leaves it set for the watch: most requests set it once (each timer costs a
 *  request ~3 µs on Node 20). */
declare class Clock {
    private giveUp;
    private expiredWith;
    private timer;
    private timerAt;
    private stepEnd;
    private watchAt;
    private deadline;
    private stepFail;
    private stepWhy;
    private readonly requestTimeout;
    private readonly watchAfter;
    private readonly startWatch;
    constructor(requestTimeout?: number, watchAfter?: number, startWatch?: () => void);
    /** The request has arrived: its deadline and the watch's start count from now. */
    started(): void;
    /** Returns what start passes to its callback, or rejects with why() if that takes over ms. */
    limit<T>(ms: number, why: () => Error, start: (done: Done<T>) => void): Promise<T>;
    /** Returns work's result, or rejects if the request is given up first (work goes on unwatched:
     *  an app cannot be stopped). */
    bound<T>(work: Promise<T>): Promise<T>;
    /** Gives the request up for reason. */
    expire(reason: Error): void;
    /** Clears the timer: the request has ended. */
    stop(): void;
    /** Sets the timer for the nearest thing due, or watchAfter from now if sooner, unless it is set
     *  for sooner still. */
    private schedule;
    /** Ends the running step: its limit no longer applies. */
    private endStep;
    /** Does what is due (timers fire to the millisecond), then sets the timer for what is next. */
    private readonly fire;
}
/** A request that breaks the SCGI rules. message names the rule (safe to send); detail has the
 *  bad value. */
export declare class ProtocolError extends Error {
    readonly detail: string;
    readonly status: string;
    constructor(rule: string, detail?: string, status?: string);
}
/** The process is set up wrong (a bad command line): answered with a 500 that names the problem,
 *  for the browser and nginx's log; message, with the details, goes to the error log. */
export declare class SetupError extends Error {
    /** The 500's body: what kind of problem, and where to look. */
    readonly answer: string;
    constructor(problem: string, message: string);
}
/** A limit ran out: on the header block, a body chunk, a write, or the whole request. What it
 *  waited for may still be pending (a read of a silent peer, an app that hangs): it is given up. */
export declare class Timeout extends Error {
    constructor(message: string);
}
/** The app did not finish its response within --request-timeout. */
export declare class RequestTimeout extends Timeout {
    constructor(ms: number);
}
/** The request body failed: the connection ended early, or stalled (timedOut). The framing is
 *  lost: no response. */
export declare class BodyError extends Error {
    readonly timedOut: boolean;
    constructor(message: string, timedOut?: boolean);
}
/** A request read up to its body: the headers, the body length, and body bytes read with the
 *  headers. */
export interface RequestHead {
    headers: Headers;
    contentLength: number;
    bodyStart: Buffer;
    block?: string;
}
/** Reads the request head, passing done the head, null when the connection closed before sending
 *  anything, or the error (a ProtocolError for a broken request). */
export declare function readRequestHead(conn: Connection, maxHead: number, done: Done<RequestHead | null>): void;
/** Returns the header block's length and start offset, or null while buf ends inside the
 *  length. */
export declare function netstringPrefix(buf: Uint8Array, maxHeaderBytes: number): {
    start: number;
    length: number;
} | null;
/** Returns the headers and CONTENT_LENGTH of a header block (the bytes between ":" and ","), and
 *  the block as text. */
export declare function parseHeaders(bytes: Buffer): {
    headers: Headers;
    contentLength: number;
    block: string;
};
/** The request body: exactly CONTENT_LENGTH bytes from the connection, read only when asked for,
 *  each read on the request's clock with timeout ms allowed. */
export declare class RequestBody {
    readonly length: number;
    private state;
    private readonly conn;
    private readonly timeout;
    private readonly clock;
    private pending;
    private count;
    private inFlight;
    private error;
    private input;
    private receiving;
    private allReceived;
    constructor(conn: Connection, length: number, bodyStart: Buffer, timeout?: number, clock?: Clock);
    /** Resolves once every body byte has come from the connection: nothing more is due. */
    get received(): Promise<void>;
    /** Returns whether every body byte has come from the connection. */
    get arrived(): boolean;
    /** Returns why reading the body failed (the connection ended early or stalled), or null. */
    get failure(): BodyError | null;
    /** Returns the next chunk, or null after the last. Throws BodyError if the connection ends or
     *  stalls. */
    read(): Promise<Buffer | null>;
    private next;
    private arrive;
    private fail;
    /** Returns whether drain() has anything to do: bytes still due or not taken, or a failure. */
    get unread(): boolean;
    /** Reads and drops what the app has not read, so the response can start (nginx stops sending
     *  the body once it sees a response header, and unread bytes at exit make the kernel reset the
     *  connection). */
    drain(): Promise<void>;
    /** Returns wsgi.input: a Readable of the body that fails, rather than ends short, if bytes are
     *  missing. */
    stream(): Readable;
    /** Returns whether drain() threw away bytes the app had not read. */
    get discarded(): boolean;
}
/** Returns the environ for a request: its headers object, taken over and given the derived path
 *  keys and PEP 3333's wsgi.* keys. (Not copied: copying a 20-key null-prototype object costs
 *  ~2 µs.) */
export declare function buildEnviron(headers: Headers, body: RequestBody, errors: ErrorStream, options?: Options, serving?: Serving, exchange?: Exchange): Environ;
/** Returns s with each %XX replaced by the byte it names, as a latin-1 character; decodes once. */
export declare function percentDecode(s: string): string;
/** Returns the response head startResponse was given, checked, or throws naming the bad part. */
export declare function responseHead(status: string, headers: [string, string][]): ResponseHead;
/** Returns the head as CGI writes it: a "Status:" line, the headers, a blank line. */
export declare function encodeHead(head: ResponseHead): Buffer;
/** Returns a Connection over two file descriptors (inetd's 0 and 1). Once the connection is
 *  watched for its end, or a response outgrows SYNC_WRITE_LIMIT, a socket there is driven as a
 *  net.Socket instead: non-blocking, so that its EOF can be awaited and its writes bounded. A
 *  long body is read through one too (SOCKET_READ_MIN), over a pipe as well. */
export declare function fdConnection(inFd?: number, outFd?: number): Connection;
/** Returns a Connection over a socket. Reads are pulled: no more is read than the app asks for,
 *  beyond what the socket itself buffers. */
export declare function socketConnection(socket: Socket): Connection;
/** Returns the request a CGI host passes (RFC 3875): meta-variables in the environment, body on
 *  stdin. */
export declare function cgiRequest(env: Record<string, string | undefined>): RequestHead;
/** Where a long-running process takes connections: an inherited listening fd, a unix socket or
 *  TCP. */
export type Listener = {
    fd: number;
} | {
    path: string;
} | {
    host: string;
    port: number;
};
/** Returns the listener --listen names: HOST:PORT (127.0.0.1:9000, [::1]:9000), else a unix
 *  socket path. */
export declare function parseAddress(address: string): Listener;
/** The error log: a file (appended), else fd 2 when fd 2 is not the connection, else nowhere. */
export declare class ErrorLog {
    /** A stand-in for process.stdout and process.stderr, and the environ's wsgi.errors. */
    readonly stream: ErrorStream & EventEmitter;
    private readonly path;
    private readonly connectionFds;
    private fd;
    private retryAt;
    private partial;
    constructor(path: string | undefined, connectionFds: number[]);
    /** Appends the app's output a line at a time, each with the time and the process id, as ours,
     *  so that the lines of concurrent processes can be told apart. */
    private appOutput;
    /** Appends the app's last line if it did not end it: called as the process ends. */
    flush(): void;
    /** Returns the prefix of a log line: the time, and who wrote it with the process id. */
    private stamp;
    /** Returns whether the log file named could not be opened (the last time it was tried). */
    get unopened(): boolean;
    /** Appends bytes to the log as they are. */
    write(data: Chunk): void;
    /** Appends one message of ours, with the time and the process id. */
    line(message: string): void;
    private open;
}
/** A web-standard fetch handler (Hono, itty-router; the shape Bun's and Deno's servers call). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;
/** Returns an app that runs a fetch handler: the request as a Request (body streamed, signal
 *  aborted when the client goes away); the Response's status, headers and body sent as they
 *  come. */
export declare function fetchApp(handler: FetchHandler): App;
/** A Node request listener: an Express or connect app, Koa's app.callback(), a node:http
 *  handler. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;
/** Returns an app that runs a Node request listener on a real http.IncomingMessage and
 *  http.ServerResponse (public APIs only); what the listener writes becomes the CGI response. */
export declare function listenerApp(listener: RequestListener): App;
/** What the app module exports, as --app-type names it. */
export type AppType = 'wsgi' | 'fetch' | 'node';
/** Returns the app module's path, its type if named, and the options from the command-line
 *  arguments; throws on bad usage. */
export declare function parseArgs(args: string[]): {
    module: string;
    options: Options;
    appType?: AppType;
};
/** Returns the app a module exports, as the usage text says; type, if given, names its kind. A
 *  (req, res) listener needs it: it is a function of two arguments, as a PEP 3333 app is, and is
 *  never guessed. */
export declare function loadApp(file: string, type?: AppType): Promise<App>;
/** The version of this file, as `--version` prints it. */
export declare const VERSION = "0.1.0";
export {};
