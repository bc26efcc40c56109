# PEP 3333's hello world, for uWSGI in `make bench` (the same app as examples/hello.js).
def application(environ, start_response):
    start_response('200 OK', [('Content-type', 'text/plain')])
    return [b'Hello world!\n']
