# `domicile serve` on a free port for the console's browser scripts (scripts/e2e/console.sh,
# scripts/generate-console-screenshots). Source it after scripts/lib/postgres.sh.
#   console_serve BIN DATABASE_URL WORKDIR    starts it; sets console_server (pid) and console_base (URL)
#   console_stop                              stops it (SIGTERM) if it runs
console_server=""
console_base=""
console_serve() {
    local bin=$1 url=$2 work=$3 port
    port=$(pg_free_port)
    "$bin" serve --database-url "$url" --port "$port" >"$work/serve.out" 2>"$work/serve.log" &
    console_server=$!
    for _ in $(seq 300); do
        grep -q "listening on" "$work/serve.out" 2>/dev/null && break
        kill -0 "$console_server" 2>/dev/null || { tail -n 20 "$work/serve.log" >&2; echo "serve exited before listening" >&2; return 1; }
        sleep 0.2
    done
    grep -q "listening on http://127.0.0.1:$port" "$work/serve.out" || { echo "serve did not say where it listens" >&2; return 1; }
    console_base="http://127.0.0.1:$port"
}
console_stop() {
    if [ -n "$console_server" ] && kill -0 "$console_server" 2>/dev/null; then
        kill -TERM "$console_server" 2>/dev/null
        wait "$console_server" 2>/dev/null || true
    fi
    console_server=""
}
