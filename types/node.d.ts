// The few Node.js APIs inetd-scgi.ts uses, typed by hand: the project allows no package but typescript,
// so @types/node is not installed. Each declaration is a narrowing of @types/node's, so the source also
// compiles in a project that has @types/node instead of this file. Build-time only.

interface ErrnoException extends Error {
  code?: string;
}

interface Buffer extends Uint8Array {
  subarray(start?: number, end?: number): Buffer;
  toString(encoding?: 'utf8' | 'latin1', start?: number, end?: number): string;
  indexOf(value: number, byteOffset?: number): number;
  copy(target: Uint8Array, targetStart?: number): number;
}
declare const Buffer: {
  from(data: string, encoding?: string): Buffer;
  from(arrayBuffer: ArrayBufferLike, byteOffset?: number, length?: number): Buffer;
  alloc(size: number): Buffer;
  allocUnsafe(size: number): Buffer;
  concat(list: readonly Uint8Array[], totalLength?: number): Buffer;
  byteLength(text: string): number;
};

declare function setTimeout(callback: () => void, ms: number): { ref(): unknown; unref(): unknown };
declare function clearTimeout(timer: { ref(): unknown } | undefined): void;

declare module 'node:events' {
  class EventEmitter {
    on(event: string, listener: (...args: any[]) => void): this;
    emit(event: string, ...args: unknown[]): boolean;
  }
}

declare module 'node:stream' {
  interface ReadableOptions {
    highWaterMark?: number;
    read?(this: Readable, size: number): void;
  }
  class Readable implements AsyncIterable<Buffer> {
    constructor(options?: ReadableOptions);
    _read(size: number): void;
    push(chunk: Uint8Array | null): boolean;
    resume(): this;
    read(size?: number): unknown;
    readonly destroyed: boolean;
    destroy(error?: Error): this;
    on(event: string, listener: (...args: any[]) => void): this;
    pipe<T>(destination: T): T;
    [Symbol.asyncIterator](): AsyncIterator<Buffer>;
  }
  class Duplex extends Readable {}
}

declare module 'node:http' {
  import type { Readable } from 'node:stream';
  import type { Socket } from 'node:net';
  type OutgoingHttpHeader = number | string | string[];
  class IncomingMessage extends Readable {
    constructor(socket: Socket);
    method?: string;
    url?: string;
    httpVersion: string;
    httpVersionMajor: number;
    httpVersionMinor: number;
    headers: Record<string, string | string[] | undefined>;
    rawHeaders: string[];
    complete: boolean;
    socket: Socket;
  }
  class ServerResponse {
    constructor(req: IncomingMessage);
    readonly req: IncomingMessage;
    statusCode: number;
    statusMessage: string;
    sendDate: boolean;
    readonly writableEnded: boolean;
    readonly writableFinished: boolean;
    assignSocket(socket: Socket): void;
    setHeader(name: string, value: OutgoingHttpHeader): this;
    appendHeader(name: string, value: string | string[]): this;
    getHeader(name: string): OutgoingHttpHeader | undefined;
    writeHead(statusCode: number, statusMessage?: string): this;
    write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean;
    end(chunk?: unknown, encoding?: unknown, callback?: unknown): this;
    flushHeaders(): void;
    on(event: string, listener: (...args: any[]) => void): this;
    emit(event: string, ...args: unknown[]): boolean;
  }
  const STATUS_CODES: Record<number, string | undefined>;
}

declare module 'node:net' {
  type ListenOptions = { fd: number } | { path: string } | { host: string; port: number };
  import type { Duplex } from 'node:stream';
  class Socket extends Duplex {
    constructor(options: { fd: number; allowHalfOpen?: boolean; readable?: boolean; writable?: boolean });
    on(event: string, listener: (...args: any[]) => void): this;
    removeAllListeners(): this;
    read(): Buffer | null;
    unshift(chunk: Uint8Array): void;
    write(data: Uint8Array, callback: (err?: Error | null) => void): boolean;
    end(callback?: () => void): this;
    destroy(error?: Error): this;
    resetAndDestroy(): this;
  }
  class Server {
    on(event: 'error', listener: (err: Error) => void): this;
    listen(options: ListenOptions, listener?: () => void): this;
    close(): this;
  }
  function createServer(options: { allowHalfOpen?: boolean; noDelay?: boolean }, listener: (socket: Socket) => void): Server;
  function connect(path: string): Socket;
}

declare module 'node:async_hooks' {
  class AsyncLocalStorage<T> {
    run<R>(store: T, callback: () => R): R;
    getStore(): T | undefined;
  }
}

declare module 'node:fs' {
  function read(fd: number, buffer: Uint8Array, offset: number, length: number, position: null, callback: (err: ErrnoException | null, bytesRead: number) => void): void;
  function writeSync(fd: number, data: string | Uint8Array, offset?: number): number;
  function openSync(path: string, flags: 'a'): number;
  function fstatSync(fd: number): { dev: number; ino: number; isSocket(): boolean; isFIFO(): boolean };
  function lstatSync(path: string): { isSocket(): boolean; isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean };
  function closeSync(fd: number): void;
  function chmodSync(path: string, mode: number): void;
  function unlinkSync(path: string): void;
}

declare module 'node:module' {
  function createRequire(path: string): (id: string) => unknown;
}

declare module 'node:path' {
  function resolve(...paths: string[]): string;
  function dirname(path: string): string;
}

declare module 'node:url' {
  function pathToFileURL(path: string): { href: string };
}

declare module 'node:console' {
  class Console {
    constructor(options: { stdout: { write(chunk: string): unknown }; stderr: { write(chunk: string): unknown } });
  }
}

declare module 'node:v8' {
  function setFlagsFromString(flags: string): void;
}

declare module 'node:util' {
  function inspect(value: unknown, options?: { depth?: number; breakLength?: number }): string;
}

interface BuiltinModules {
  'node:stream': typeof import('node:stream');
  'node:console': typeof import('node:console');
  'node:util': typeof import('node:util');
  'node:module': typeof import('node:module');
  'node:net': typeof import('node:net');
  'node:async_hooks': typeof import('node:async_hooks');
  'node:http': typeof import('node:http');
  'node:v8': typeof import('node:v8');
}

declare function queueMicrotask(callback: () => void): void;
declare function setImmediate(callback: () => void): unknown;

declare class AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare class URL {
  constructor(input: string);
  readonly href: string;
}

// The fetch API's classes (globals since Node 18, implemented by undici).
declare class ReadableStream<R = Uint8Array> implements AsyncIterable<R> {
  static from<R>(iterable: AsyncIterable<R> | Iterable<R>): ReadableStream<R>;
  cancel(reason?: unknown): Promise<void>;
  [Symbol.asyncIterator](): AsyncIterator<R>;
}
declare class Headers implements Iterable<[string, string]> {
  get(name: string): string | null;
  [Symbol.iterator](): Iterator<[string, string]>;
}
interface RequestInit {
  method?: string;
  headers?: [string, string][];
  body?: ReadableStream<Uint8Array> | null;
  duplex?: 'half';
  signal?: AbortSignal;
}
declare class Request {
  constructor(input: string, init?: RequestInit);
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
}
declare class Response {
  constructor(body?: unknown, init?: unknown);
  static json(data: unknown, init?: unknown): Response;
  static redirect(url: string, status?: number): Response;
  static error(): Response;
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
}

declare const process: {
  argv: string[];
  execArgv: string[];
  pid: number;
  env: Record<string, string | undefined>;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
  on(event: 'warning', listener: (warning: Error) => void): unknown;
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'exit', listener: () => void): unknown;
  once(event: 'beforeExit', listener: () => void): unknown;
  removeAllListeners(event: string): unknown;
  nextTick<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void;
  exit(code?: number): never;
  uptime(): number;
  kill(pid: number, signal: 'SIGKILL'): true;
  getuid?(): number;
  readonly version: string;
  getBuiltinModule<K extends keyof BuiltinModules>(id: K): BuiltinModules[K];
};
