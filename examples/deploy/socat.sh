#!/bin/sh
# socat as the super-server on a unix socket: one process per connection, as www-data. nofork puts
# the connection itself on the app's stdin and stdout (without it the app gets a socketpair and the
# response's end reaches nginx ~0.5 s late); mode=666 lets nginx's workers connect; backlog=64 lets
# connections queue (socat's default, 5, makes nginx answer 502 to a burst).
# Check it first, as the service user (it prints "ok", or what is wrong):
#   sudo -u www-data /usr/bin/node /srv/app/inetd-scgi.cjs /srv/app/app.js --errors /var/log/app/error.log --check
exec socat UNIX-LISTEN:/run/app.sock,fork,mode=666,backlog=64 \
  EXEC:"/usr/bin/node /srv/app/inetd-scgi.cjs /srv/app/app.js --errors /var/log/app/error.log",nofork,su=www-data
