// A module that fails while loading, after printing (which must not reach the connection).
console.log('loading...');
throw new Error('broken at load time');
