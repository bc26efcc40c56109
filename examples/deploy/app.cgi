#!/bin/sh
# CGI: any CGI host (lighttpd mod_cgi, Apache mod_cgi, busybox httpd) runs this once per request with
# the request in the environment (GATEWAY_INTERFACE set) and the body on stdin; inetd-scgi serves it
# with the same app. Make it executable; the error log goes to the host's (stderr).
# Check it first, as the service user (it prints "ok", or what is wrong):
#   sudo -u www-data /usr/bin/node /srv/app/inetd-scgi.cjs /srv/app/app.js --check
exec /usr/bin/node /srv/app/inetd-scgi.cjs /srv/app/app.js
