"""The curl examples in README.md work verbatim against the real service (the port is
rewritten to the test server's), with the bundled data."""
import json
import os
import re
import subprocess

from wtlib import SRC, Server, check, done

readme = open(os.path.join(SRC, 'README.md'), encoding='utf-8').read()
blocks = re.findall(r'```sh\n(.*?)```', readme, re.S)
commands = []
for block in blocks:
    block = block.replace('\\\n', ' ')
    commands += [line.strip() for line in block.splitlines() if line.strip().startswith('curl ')]
check(len(commands) >= 3, 'README has curl examples (%d)' % len(commands))

s = Server(data=os.path.join(SRC, 'data'))
try:
    for cmd in commands:
        cmd = cmd.replace('127.0.0.1:8080', '127.0.0.1:%d' % s.port)
        p = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        ok = p.returncode == 0
        try:
            out = json.loads(p.stdout)
        except ValueError:
            out, ok = None, False
        check(ok, 'README example works: %s -> %r' % (cmd, p.stdout[:200]))
        if out and 'entities' in out:
            check(len(out['entities']) > 0, 'README example finds entities: %s' % cmd)
finally:
    s.stop()
done('readme')
