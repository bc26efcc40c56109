#!/usr/bin/perl
# listen-fds.pl SOCKET COMMAND...: starts COMMAND as systemd starts the service of a .socket unit with
# Accept=no: the listening unix socket SOCKET on fd 3, LISTEN_FDS=1 and LISTEN_PID set to the pid
# COMMAND will have (exec keeps this process's pid). Perl, because exec is what makes LISTEN_PID right.
use strict;
use warnings;
use IO::Socket::UNIX;
use POSIX qw(dup2);

$^F = 3;    # fds up to 3 stay open across exec (Perl marks the others close-on-exec)
my $path = shift @ARGV or die "usage: listen-fds.pl SOCKET COMMAND...\n";
unlink $path;
my $socket = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $path, Listen => 128)
  or die "listen-fds.pl: cannot listen on $path: $!\n";
chmod 0666, $path;
if (fileno($socket) != 3) { dup2(fileno($socket), 3) or die "listen-fds.pl: dup2: $!\n"; }
$ENV{LISTEN_FDS} = 1;
$ENV{LISTEN_PID} = $$;
exec @ARGV or die "listen-fds.pl: cannot run $ARGV[0]: $!\n";
