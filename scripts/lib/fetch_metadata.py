"""Fetches the newest runtime metadata from a node over JSON-RPC and writes it as SCALE bytes."""
import json
import struct
import sys
import time
import urllib.request


def rpc(url, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        reply = json.load(r)
    if "error" in reply:
        raise RuntimeError(reply["error"])
    return reply["result"]


def compact(data, i):
    """Decodes a SCALE compact integer at data[i]; returns (value, next index)."""
    mode = data[i] & 3
    if mode == 0:
        return data[i] >> 2, i + 1
    if mode == 1:
        return int.from_bytes(data[i:i + 2], "little") >> 2, i + 2
    if mode == 2:
        return int.from_bytes(data[i:i + 4], "little") >> 2, i + 4
    n = (data[i] >> 2) + 4
    return int.from_bytes(data[i + 1:i + 1 + n], "little"), i + 1 + n


def main(url, out):
    for _ in range(120):
        try:
            rpc(url, "system_health", [])
            break
        except Exception:
            time.sleep(0.5)
    raw = bytes.fromhex(rpc(url, "state_call", ["Metadata_metadata_versions", "0x"])[2:])
    count, i = compact(raw, 0)
    versions = [struct.unpack_from("<I", raw, i + 4 * k)[0] for k in range(count)]
    newest = max(v for v in versions if v != 0xFFFFFFFF)
    arg = "0x" + struct.pack("<I", newest).hex()
    raw = bytes.fromhex(rpc(url, "state_call", ["Metadata_metadata_at_version", arg])[2:])
    assert raw[0] == 1, "metadata version missing"
    length, i = compact(raw, 1)
    meta = raw[i:i + length]
    assert meta[:4] == b"meta", "not runtime metadata"
    with open(out, "wb") as f:
        f.write(meta)
    print(f"wrote metadata v{newest} ({len(meta)} bytes) to {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
