# Shared by scripts/test and scripts/quickstart: install what is missing, and run a
# private PostgreSQL cluster in a directory we own. Source it; do not run it.

# Installs libpq-dev and (unless --client-only) the PostgreSQL server with apt when absent.
pg_ensure_packages() {
    local missing=()
    { command -v pg_config >/dev/null 2>&1 && [ -f /usr/include/postgresql/libpq-fe.h ]; } || missing+=(libpq-dev)
    if [ "${1:-}" != "--client-only" ]; then
        pg_bindir >/dev/null 2>&1 || missing+=(postgresql)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing ${missing[*]} with apt-get" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
    fi
}

# Prints the directory holding initdb/pg_ctl of the newest installed server.
pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
    echo "$dir"
}

# Runs a command as the cluster's owner: `postgres` when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise.
pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Prints a TCP port nobody listens on (bash only: nothing else needs to be installed).
pg_free_port() {
    # Below the kernel's ephemeral range (ip_local_port_range, 32768 by default): a port in
    # that range can be the local end of any outgoing connection (libpq's, wrk's, curl's),
    # which answers no connect but makes a bind fail with "Address already in use".
    local port attempt low=32768 span
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    span=$((low > 12000 ? low - 10000 : 20000))
    for attempt in $(seq 100); do
        port=$((10000 + RANDOM % span))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "no free TCP port found" >&2
    return 1
}

# Whether the cluster's owner can reach DIR (as root the server runs as `postgres`, which
# cannot enter a checkout under a private home such as /root).
pg_owner_can_reach() {
    [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$1"
}

# pg_start DIR PORT: creates the cluster in DIR/data if needed and starts it on
# 127.0.0.1:PORT with the socket in DIR. Extra settings for throwaway clusters come
# from PG_EXTRA_OPTS.
pg_start() {
    local dir=$1 port=$2 bin
    bin=$(pg_bindir)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
    fi
    pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 ${PG_EXTRA_OPTS:-}" start >/dev/null \
        || { tail -n 20 "$dir/server.log" >&2; return 1; }
}

# pg_stop DIR: stops the cluster if it runs.
pg_stop() {
    local dir=$1 bin
    bin=$(pg_bindir) || return 0
    [ -f "$dir/data/postmaster.pid" ] || return 0
    pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# serve_on_free_port OUT LOG COMMAND...: starts COMMAND --port P in the background (stdout to
# OUT, stderr to LOG) on a free port and waits until it says it listens; sets `server` (its
# pid) and `port`. A port taken between pg_free_port and the bind (another process's
# connection can hold it) is tried again on another, up to three times; any other exit prints
# the end of LOG and returns 1.
serve_on_free_port() {
    local out=$1 log=$2 attempt
    shift 2
    for attempt in 1 2 3; do
        port=$(pg_free_port)
        "$@" --port "$port" >"$out" 2>"$log" &
        server=$!
        for _ in $(seq 150); do
            grep -q "listening on" "$out" 2>/dev/null && return 0
            if ! kill -0 "$server" 2>/dev/null; then
                wait "$server" 2>/dev/null || true
                server=""
                grep -qi "address already in use" "$log" && continue 2
                echo "serve exited before listening:" >&2
                tail -n 20 "$log" >&2
                return 1
            fi
            sleep 0.2
        done
        echo "serve did not listen within 30 s:" >&2
        tail -n 20 "$log" >&2
        return 1
    done
    echo "serve found no free port in three tries" >&2
    return 1
}
