#!/bin/sh
# ucspi-unix's unixserver as the super-server: one process per connection, as www-data. "--" ends
# unixserver's own options (it would take the app's --errors as its own); -p 666 lets nginx connect;
# -c 40 allows 40 connections at once (default 10).
# Check it first, as the service user (it prints "ok", or what is wrong):
#   sudo -u www-data /usr/bin/node /srv/app/inetd-scgi.cjs /srv/app/app.js --errors /var/log/app/error.log --check
exec unixserver -p 666 -c 40 -u "$(id -u www-data)" -g "$(id -g www-data)" -- /run/app.sock \
  /usr/bin/node /srv/app/inetd-scgi.cjs /srv/app/app.js --errors /var/log/app/error.log
