"""Writes Tests/Fixtures/json/EXAMPLE/NAME.json for the cases of cases.tsv (see
scripts/generate-json-goldens): the registry is built as JSONGoldenTests builds it, then each
case's bytes are recorded (the command's stdout, or the API's body)."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

binary, url, example, directory = sys.argv[1:5]
env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("PG") and not k.startswith("DOMICILE_")}
env.update(DATABASE_URL=url, DOMICILE_HOME=os.getcwd())


def domicile(args, actor="test", check=True):
    result = subprocess.run([binary] + args, env=dict(env, DOMICILE_ACTOR=actor), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if check and result.returncode != 0:
        sys.exit(f"domicile {' '.join(args)} exited {result.returncode}:\n{result.stderr.decode()}")
    return result


# As TestDatabase's seeded template (actor test-template), then as the test (actor test).
domicile(["migrate"], actor="test-template")
domicile(["seed"], actor="test-template")
cases = []
setup = []
for line in open(os.path.join(directory, "cases.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    case_example, name, command = line.rstrip("\n").split("\t")
    if case_example == example:
        (setup if name == "setup" else cases).append((name, command))
for _, command in setup or [("setup", "domicile seed --example " + example)]:
    domicile(command.split()[1:])
token = domicile(["token", "create", "--name", "golden"]).stdout.decode().strip()

with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = subprocess.Popen([binary, "serve", "--port", str(port)], env=dict(env, DOMICILE_ACTOR="test"),
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    os.makedirs(os.path.join(directory, example), exist_ok=True)
    for name, command in cases:
        if command.startswith("domicile "):
            result = domicile(command.split()[1:], check=False)
            if result.returncode not in (0, 1) or not result.stdout:
                sys.exit(f"{example}/{name}: `{command}` exited {result.returncode}:\n{result.stderr.decode()}")
            body = result.stdout
        else:
            method, target = command.split(" ", 1)
            request = urllib.request.Request(f"http://127.0.0.1:{port}{target}", headers={"Authorization": "Bearer " + token})
            with urllib.request.urlopen(request, timeout=120) as response:
                body = response.read()
        with open(os.path.join(directory, example, name + ".json"), "wb") as out:
            out.write(body)
        print(f"{example}/{name}.json: {len(body)} bytes", file=sys.stderr)
finally:
    server.terminate()
    server.wait()
