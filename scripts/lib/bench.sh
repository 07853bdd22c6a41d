# Shared by the bench-* scripts (sourced).

# wait_rpc PORT: until the node on 127.0.0.1:PORT answers JSON-RPC (it compiles its runtime
# before it listens), at most two minutes.
wait_rpc() {
  for _ in $(seq 120); do
    curl -sf -H 'Content-Type: application/json' \
      -d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
      "http://127.0.0.1:$1" >/dev/null && return 0
    sleep 1
  done
  echo "node on port $1 did not come up" >&2
  return 1
}
