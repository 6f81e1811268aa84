"""The deployment files hold up without a Docker engine.

(a) Every YAML file under docker/ passes `yamllint --strict`; docker/compose.yaml passes Debian's
    docker-compose (`config`: the Compose schema and references); the Kubernetes manifests pass
    the API's schemas with unknown fields rejected (docker/check/k8s-schema.mjs, with the npm
    package kubernetes-models that `npm ci` installs from docker/check/package-lock.json into
    the build tree the first time: no schema is fetched at run time); docker/haproxy.cfg passes
    `haproxy -c`; and focused checks hold the files to each other (ports, paths, user, drain).
(b) The Dockerfile's build stage is replayed as Docker would run it: its COPY lines copy the
    context filtered by .dockerignore into a temporary directory standing for WORKDIR, and its
    RUN lines run there with /bin/sh -c and Docker's environment (not ctest's). The installed
    tree must hold the binary and the data, the runtime stage's packages must exist in Debian
    and provide every library the binary needs, and the installed binary is started as the
    image would start it (its ENV, its user, the ConfigMap's gazetteers as the data layer) until
    the image's own HEALTHCHECK command passes."""
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from wtlib import BIN, SRC, check, done, free_port

DOCKER = os.path.join(SRC, 'docker')
K8S = os.path.join(DOCKER, 'k8s')
DOCKER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
SHARED_BEGIN = '    # -- retries and checks (begin) --'
SHARED_END = '    # -- retries and checks (end) --'


def run(cmd, what, timeout=600, **kw):
    """Runs cmd; checks it exits 0 (printing its output when not); returns its output."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                       **kw)
    out = p.stdout.decode('utf-8', 'replace')
    if not check(p.returncode == 0, '%s (exit %d):\n%s' % (what, p.returncode, out[-4000:])):
        return None
    return out


def load_yaml(path):
    """The documents of a YAML file. PyYAML, or Debian's python3 with python3-yaml (yamllint
    depends on it) when this interpreter has none."""
    try:
        import yaml
        with open(path, encoding='utf-8') as f:
            return list(yaml.safe_load_all(f))
    except ImportError:
        code = 'import json,sys,yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), ' \
               'sys.stdout)'
        return json.loads(subprocess.check_output(['/usr/bin/python3', '-c', code, path]))


def yaml_files():
    found = []
    for d, _, files in os.walk(DOCKER):
        found += [os.path.join(d, f) for f in files if f.endswith(('.yaml', '.yml'))]
    return sorted(found)


# ---- (a) YAML, schemas, haproxy ----

def check_yamllint():
    files = yaml_files()
    check(len(files) >= 7, 'YAML files under docker/: %r' % files)
    run(['yamllint', '--strict', '-c', os.path.join(SRC, '.yamllint')] + files, 'yamllint')


def check_compose_schema():
    run(['docker-compose', '--project-directory', DOCKER, '-f',
         os.path.join(DOCKER, 'compose.yaml'), 'config', '-q'], 'docker-compose config',
        env=dict(os.environ, WIRETAG_NEWSROOM_DATA=os.path.join(DOCKER, 'newsroom-data')))


def k8s_manifests():
    return sorted(os.path.join(K8S, f) for f in os.listdir(K8S)
                  if f.endswith('.yaml') and f != 'kustomization.yaml')


def check_k8s_schemas(build_dir):
    """npm ci of docker/check into the build tree (once per lock file), then its validator."""
    tools = os.path.join(build_dir, 'deploy-check')
    src = os.path.join(DOCKER, 'check')
    lock = open(os.path.join(src, 'package-lock.json'), 'rb').read()
    installed = os.path.join(tools, 'package-lock.json')
    stamp = os.path.join(tools, 'node_modules', '.package-lock.json')
    if not (os.path.exists(stamp) and os.path.exists(installed) and
            open(installed, 'rb').read() == lock):
        os.makedirs(tools, exist_ok=True)
        for f in ('package.json', 'package-lock.json'):
            shutil.copy(os.path.join(src, f), tools)
        if run(['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', tools],
               'npm ci of docker/check') is None:
            return
    shutil.copy(os.path.join(src, 'k8s-schema.mjs'), tools)
    out = run(['node', os.path.join(tools, 'k8s-schema.mjs')] + k8s_manifests(),
              'Kubernetes schemas')
    if out is not None:
        check(' 0 error(s)' in out and '%d document(s)' % len(k8s_manifests()) in out,
              'every manifest validated: %s' % out)
    # The validator itself must catch what it is for.
    bad = os.path.join(tools, 'bad.yaml')
    with open(bad, 'w') as f:
        f.write('apiVersion: v1\nkind: Service\nmetadata: {name: x}\n'
                'spec: {ports: [{port: "eighty"}], selectr: {a: b}}\n')
    p = subprocess.run(['node', os.path.join(tools, 'k8s-schema.mjs'), bad],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode()
    check(p.returncode == 1 and '/spec/selectr' in out and '/spec/ports/0/port' in out,
          'the validator rejects a bad type and an unknown field: %s' % out)


def shared_block(text):
    return text[text.index(SHARED_BEGIN):text.index(SHARED_END)]


def check_haproxy():
    cfg = os.path.join(DOCKER, 'haproxy.cfg')
    p = subprocess.run(['haproxy', '-c', '-f', cfg], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    out = p.stdout.decode()
    warnings = [l for l in out.splitlines() if 'WARNING' in l or 'ALERT' in l]
    # Outside Docker the replicas' names do not resolve; nothing else may be wrong.
    check(p.returncode == 0 and all('could not resolve address' in w for w in warnings),
          'haproxy -c docker/haproxy.cfg:\n' + out)
    text = open(cfg).read()
    scale = open(os.path.join(SRC, 'scripts', 'scale', 'haproxy.cfg.in')).read()
    check(shared_block(text) == shared_block(scale),
          'scripts/scale/haproxy.cfg.in has docker/haproxy.cfg\'s retries and checks')
    for want in ('retry-on all-retryable-errors', 'option redispatch', 'uri /ready',
                 'http-check expect status 200'):
        check(want in shared_block(text), 'haproxy.cfg: %s' % want)
    check('shutdown-sessions' not in text, 'a draining replica keeps its sessions')
    return text


# ---- (b) the Dockerfile ----

def dockerfile_stages(path):
    """[{'base', 'name', 'steps': [(INSTRUCTION, ARGS)]}] with continuations joined."""
    stages, buf = [], ''
    for line in open(path, encoding='utf-8').read().splitlines():
        s = line.strip()
        if s.startswith('#') or (not s and not buf):
            continue
        if s.endswith('\\'):
            buf += s[:-1].rstrip() + ' '
            continue
        full, buf = buf + s, ''
        instr, _, args = full.partition(' ')
        if instr.upper() == 'FROM':
            m = re.match(r'(\S+)(?:\s+AS\s+(\S+))?$', args.strip(), re.I)
            stages.append({'base': m.group(1), 'name': m.group(2), 'steps': []})
        else:
            stages[-1]['steps'].append((instr.upper(), args.strip()))
    return stages


def ignore_patterns():
    pats = []
    for line in open(os.path.join(SRC, '.dockerignore'), encoding='utf-8'):
        line = line.strip()
        if line and not line.startswith('#'):
            pats.append(line.lstrip('/'))
    return pats


def pattern_regex(pat):
    """Docker's .dockerignore pattern (Go's filepath.Match plus **) as a regex; a match also
    excludes everything under it."""
    out, i = '', 0
    while i < len(pat):
        if pat.startswith('**/', i):
            out, i = out + '(?:.*/)?', i + 3
        elif pat.startswith('**', i):
            out, i = out + '.*', i + 2
        elif pat[i] == '*':
            out, i = out + '[^/]*', i + 1
        elif pat[i] == '?':
            out, i = out + '[^/]', i + 1
        else:
            out, i = out + re.escape(pat[i]), i + 1
    return re.compile(out + '(?:/.*)?$')


def ignored(rel, pats):
    result = False
    for p in pats:
        neg = p.startswith('!')
        if pattern_regex(p[1:] if neg else p).match(rel):
            result = not neg
    return result


def copy_context(src, dst, pats):
    """Copies src (a path inside the context) to dst, leaving out what .dockerignore names."""
    rel0 = os.path.relpath(src, SRC)
    if os.path.isfile(src):
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        return
    for d, dirs, files in os.walk(src):
        rel = os.path.normpath(os.path.join(rel0, os.path.relpath(d, src)))
        dirs[:] = [x for x in dirs if not ignored(os.path.normpath(os.path.join(rel, x)), pats)]
        target = os.path.join(dst, os.path.relpath(d, src))
        os.makedirs(target, exist_ok=True)
        for f in files:
            if not ignored(os.path.normpath(os.path.join(rel, f)), pats):
                shutil.copy2(os.path.join(d, f), os.path.join(target, f), follow_symlinks=False)


def parse_env(args):
    """ENV/ARG arguments: KEY=VALUE pairs, or the old `ENV KEY VALUE` form."""
    words = shlex.split(args)
    if words and '=' not in words[0]:
        return {words[0]: ' '.join(words[1:])}
    return dict(w.split('=', 1) for w in words if '=' in w)


def replay_build(stage, root):
    """Runs the build stage in root (standing for its WORKDIR). Returns the WORKDIR, or None."""
    workdir, env = None, {'PATH': DOCKER_PATH, 'HOME': '/root'}
    pats = ignore_patterns()
    for instr, args in stage['steps']:
        if instr == 'WORKDIR':
            workdir = args
        elif instr in ('ENV', 'ARG'):
            env.update(parse_env(args))
        elif instr == 'COPY':
            words = shlex.split(args)
            check(not any(w.startswith('--') for w in words), 'build COPY from the context only')
            for src in words[:-1]:
                dst = words[-1]
                if dst.startswith('/'):
                    check(dst.startswith(workdir), 'COPY into WORKDIR: %s' % dst)
                    dst = os.path.relpath(dst, workdir)
                # A directory's contents go to dst; a file goes into dst when dst is a directory.
                target = os.path.join(root, dst)
                path = os.path.normpath(os.path.join(SRC, src))
                if os.path.isfile(path) and (dst.endswith('/') or dst == '.'):
                    target = os.path.join(target, os.path.basename(src))
                copy_context(path, target, pats)
        elif instr == 'RUN':
            # RUN lines name paths relative to WORKDIR, so that they can be replayed here.
            absolute = workdir and re.search(r'(^|[\s=:"\'])%s(/|\s|$)' % re.escape(workdir), args)
            check(not absolute, 'RUN is relative to WORKDIR: %s' % args)
            print('test_deploy: RUN %s' % args[:100], file=sys.stderr)
            if run(['/bin/sh', '-c', args], 'RUN %s' % args, cwd=root, env=env) is None:
                return None
        else:
            check(instr in ('LABEL',), 'a build-stage instruction the test knows: %s' % instr)
    return workdir


def apt_packages(run_lines):
    """Package names of `apt-get install` commands."""
    pkgs = []
    for line in run_lines:
        for cmd in re.split(r'&&|;|\|\|', line):
            words = cmd.split()
            if 'apt-get' in words and 'install' in words:
                pkgs += [w for w in words[words.index('install') + 1:] if not w.startswith('-')]
    return pkgs


def library_packages(binary):
    """The Debian packages that hold the shared libraries the binary links directly."""
    needed = re.findall(r'\(NEEDED\).*\[(.+)\]', subprocess.check_output(
        ['readelf', '-d', binary]).decode())
    cache = subprocess.check_output(['ldconfig', '-p']).decode()
    pkgs = {}
    for lib in needed:
        m = re.search(r'^\s*%s \([^)]*x86-64[^)]*\) => (\S+)' % re.escape(lib), cache, re.M) or \
            re.search(r'^\s*%s \([^)]*\) => (\S+)' % re.escape(lib), cache, re.M)
        if not check(m, 'ldconfig knows %s' % lib):
            continue
        path, owner = m.group(1), None
        for p in (path, path.replace('/lib/', '/usr/lib/', 1), path.replace('/usr/lib/', '/lib/')):
            r = subprocess.run(['dpkg', '-S', p], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                owner = r.stdout.decode().split(':')[0]
                break
        check(owner, 'a Debian package holds %s' % path)
        pkgs[lib] = owner
    return pkgs


def image_config(stage):
    """The runtime stage's instructions that shape the image."""
    cfg = {'env': {}, 'volumes': [], 'expose': [], 'runs': [], 'copies': []}
    for instr, args in stage['steps']:
        if instr == 'ENV':
            cfg['env'].update(parse_env(args))
        elif instr == 'RUN':
            cfg['runs'].append(args)
        elif instr == 'COPY':
            cfg['copies'].append(shlex.split(args))
        elif instr == 'VOLUME':
            cfg['volumes'] += json.loads(args) if args.startswith('[') else args.split()
        elif instr == 'EXPOSE':
            cfg['expose'] += [p.split('/')[0] for p in args.split()]
        elif instr in ('USER', 'ENTRYPOINT', 'CMD', 'STOPSIGNAL'):
            cfg[instr.lower()] = args
        elif instr == 'HEALTHCHECK':
            m = re.search(r'\bCMD\s+(\[.*\])\s*$', args)
            cfg['healthcheck'] = json.loads(m.group(1)) if m else None
            cfg['healthcheck_opts'] = args
    return cfg


def check_runtime_stage(cfg, build_root, build_workdir, build_name):
    """Checks the runtime stage against the replayed build; returns the staged /usr."""
    usr = None
    for words in cfg['copies']:
        check(words[0] == '--from=' + build_name, 'runtime COPY from the build stage: %r' % words)
        src, dst = words[1], words[2]
        check(src.startswith(build_workdir + '/'), 'COPY from inside the build WORKDIR: %s' % src)
        staged = os.path.join(build_root, os.path.relpath(src, build_workdir))
        check(os.path.isdir(staged), 'the build stage produced %s' % src)
        if dst.rstrip('/') == '/usr':
            usr = staged
    if not check(usr, 'the runtime stage copies an installed /usr'):
        return None
    binary = os.path.join(usr, 'bin', 'wiretag')
    data = os.path.join(usr, 'share', 'wiretag', 'data')
    check(os.access(binary, os.X_OK), 'the installed tree has bin/wiretag')
    gaz = [f for _, _, fs in os.walk(data) for f in fs if f.endswith('.gaz')]
    check(len(gaz) >= 5, 'the installed tree has the gazetteers: %r' % gaz)
    out = run([binary, 'serve', '--help'], 'installed wiretag serve --help') or ''
    check('/usr/share/wiretag/data' in out, 'the binary defaults to the installed data')

    pkgs = apt_packages(cfg['runs'])
    check(len(pkgs) >= 4, 'the runtime stage installs its libraries: %r' % pkgs)
    for p in pkgs:
        out = run(['apt-cache', 'show', '--no-all-versions', p], 'apt-cache show %s' % p) or ''
        check(re.search(r'^Package: %s$' % re.escape(p), out, re.M), 'Debian has %s' % p)
    for lib, owner in library_packages(binary).items():
        check(owner in pkgs or owner == 'libc6',
              '%s (from %s) is installed by the runtime stage %r' % (lib, owner, pkgs))

    env = cfg['env']
    check(env.get('WIRETAG_LISTEN') == '0.0.0.0:8080', 'listens on 0.0.0.0:8080 inside')
    check('8080' in cfg['expose'], 'EXPOSE 8080')
    check(env.get('WIRETAG_DATA') in cfg['volumes'], 'the data layer is a VOLUME: %r' % env)
    check(any('mkdir' in r and env.get('WIRETAG_DATA', '?') in r for r in cfg['runs']),
          'the data layer directory exists in the image (empty, it changes nothing)')
    user = cfg.get('user', '0').split(':')
    check(user[0].isdigit() and int(user[0]) != 0, 'USER is numeric and not root: %r' % user)
    check(any('useradd' in r and '--uid %s' % user[0] in r for r in cfg['runs']),
          'USER %s exists in the image' % user[0])
    check(cfg.get('healthcheck', [])[:2] == ['wiretag', 'health'] and
          'http://127.0.0.1:8080/ready' in cfg.get('healthcheck', []),
          'HEALTHCHECK uses wiretag health on /ready: %r' % cfg.get('healthcheck'))
    check(json.loads(cfg.get('entrypoint', 'null')) == ['wiretag'], 'ENTRYPOINT ["wiretag"]')
    check(json.loads(cfg.get('cmd', 'null')) == ['serve'], 'CMD ["serve"]')
    return usr


def configmap_layer(workdir):
    """The ConfigMap's files as a data directory, as the pod sees them."""
    cm = load_yaml(os.path.join(K8S, 'configmap.yaml'))[0]
    layer = os.path.join(workdir, 'newsroom-data')
    os.makedirs(layer)
    for name, text in cm['data'].items():
        with open(os.path.join(layer, name), 'w', encoding='utf-8') as f:
            f.write(text)
    return layer


def run_like_the_image(cfg, usr, layer, uid):
    """Starts the installed binary with the image's ENV, ENTRYPOINT, CMD and user (on a
    loopback port), waits for the image's HEALTHCHECK command to pass, tags with the
    newsroom's layer, and stops it with the image's stop signal."""
    binary = os.path.join(usr, 'bin', 'wiretag')
    port = free_port()
    env = {'PATH': DOCKER_PATH, 'HOME': '/nonexistent'}
    env.update(cfg['env'])
    env.update(WIRETAG_LISTEN='127.0.0.1:%d' % port,
               WIRETAG_BUNDLED_DATA=os.path.join(usr, 'share', 'wiretag', 'data'),
               WIRETAG_DATA=layer)
    as_user = ['setpriv', '--reuid', uid, '--regid', uid, '--clear-groups', '--'] \
        if os.getuid() == 0 else []
    argv = as_user + [binary] + json.loads(cfg['entrypoint'])[1:] + json.loads(cfg['cmd'])
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    health = [binary] + [a.replace(':8080/', ':%d/' % port) for a in cfg['healthcheck'][1:]]
    try:
        deadline, rc = time.time() + 30, None
        while time.time() < deadline and proc.poll() is None:
            rc = subprocess.run(health, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL).returncode
            if rc == 0:
                break
            time.sleep(0.1)
        check(rc == 0, 'the image\'s HEALTHCHECK passes (%r)' % health)
        text = 'Mayor Maren Ostby told the Harbour City Council that NATO would help.'
        out = subprocess.run([binary, 'health', 'http://127.0.0.1:%d/version' % port],
                             stdout=subprocess.PIPE).stdout.decode()
        check('200' in out, 'the service answers: %s' % out)
        req = subprocess.run(
            ['curl', '-s', '-H', 'Content-Type: text/plain', '--data-binary', text,
             'http://127.0.0.1:%d/v1/tag' % port], stdout=subprocess.PIPE, timeout=30)
        ids = [e['id'] for e in json.loads(req.stdout or b'{}').get('entities', [])]
        check('person:maren-ostby' in ids and any(i.startswith('organization:') for i in ids),
              'the ConfigMap\'s gazetteer is layered over the bundled data: %r' % ids)
    finally:
        sig = getattr(signal, cfg.get('stopsignal', 'SIGTERM'))
        proc.send_signal(sig)
        try:
            proc.wait(timeout=int(cfg['env'].get('WIRETAG_DRAIN', '10')) + 5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err = proc.stderr.read().decode('utf-8', 'replace')
        check(proc.returncode == 0, 'stops with exit 0 on %s:\n%s' % (sig.name, err[-2000:]))


def check_dockerfile(build_dir):
    stages = dockerfile_stages(os.path.join(DOCKER, 'Dockerfile'))
    check([s['base'] for s in stages] == ['debian:bookworm-slim'] * 2,
          'two stages on debian:bookworm-slim: %r' % stages)
    build, runtime = stages[0], stages[-1]
    runs = ' '.join(a for i, a in build['steps'] if i == 'RUN')
    for want in ('./scripts/install-deps build', './scripts/build',
                 '-DWIRETAG_BUNDLED_DATA=/usr/share/wiretag/data', 'cmake --install'):
        check(want in runs, 'the build stage runs %s' % want)
    work = tempfile.mkdtemp(prefix='wiretag-deploy-')
    os.chmod(work, 0o755)  # the image's user reads the installed tree
    try:
        root = os.path.join(work, 'workdir')
        os.makedirs(root)
        workdir = replay_build(build, root)
        if workdir is None:
            return None
        cfg = image_config(runtime)
        usr = check_runtime_stage(cfg, root, workdir, build['name'])
        if usr:
            layer = configmap_layer(work)
            run([os.path.join(usr, 'bin', 'wiretag'), 'check-data', '--bundled-data', 'none',
                 layer], 'the ConfigMap\'s gazetteers are clean')
            run_like_the_image(cfg, usr, layer, cfg.get('user', '0').split(':')[0])
        return cfg
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---- the files against each other ----

def quantity(q):
    """A Kubernetes quantity in base units (bytes or cores)."""
    m = re.match(r'^([0-9.]+)([a-zA-Z]*)$', str(q))
    units = {'': 1, 'm': 1e-3, 'Ki': 2**10, 'Mi': 2**20, 'Gi': 2**30, 'K': 1e3, 'M': 1e6,
             'G': 1e9}
    return float(m.group(1)) * units[m.group(2)]


def check_k8s_consistency(image):
    docs = {d['kind']: d for f in k8s_manifests() for d in load_yaml(f)}
    for kind in ('Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
                 'ConfigMap'):
        check(kind in docs, 'docker/k8s has a %s' % kind)
    dep = docs['Deployment']
    pod = dep['spec']['template']['spec']
    labels = dep['spec']['template']['metadata']['labels']
    c = pod['containers'][0]
    env = {e['name']: e.get('value') for e in c.get('env', [])}
    ports = {p['name']: p['containerPort'] for p in c['ports']}
    check(c['livenessProbe']['httpGet']['path'] == '/health', 'liveness on /health')
    check(c['readinessProbe']['httpGet']['path'] == '/ready', 'readiness on /ready')
    for probe in ('livenessProbe', 'readinessProbe'):
        check(c[probe]['httpGet']['port'] in ports, '%s port is a named container port' % probe)
    check(env.get('WIRETAG_LISTEN', '').endswith(':%d' % ports.get('http', 0)) and
          str(ports.get('http')) in image['expose'], 'one port: container, listen and EXPOSE')
    sc, psc = c['securityContext'], pod['securityContext']
    check(psc.get('runAsNonRoot') and sc.get('runAsNonRoot'), 'runAsNonRoot')
    check(sc.get('readOnlyRootFilesystem') is True, 'readOnlyRootFilesystem')
    check(sc.get('allowPrivilegeEscalation') is False, 'no privilege escalation')
    check(sc.get('capabilities', {}).get('drop') == ['ALL'], 'drops all capabilities')
    check(str(psc.get('runAsUser')) == image.get('user', '').split(':')[0],
          'the pod runs as the image\'s user')
    res = c['resources']
    for kind in ('cpu', 'memory'):
        check(quantity(res['limits'][kind]) >= quantity(res['requests'][kind]) > 0,
              '%s request and limit' % kind)
    text = open(os.path.join(K8S, 'deployment.yaml')).read()
    check('VmRSS' in text and re.search(r'\d+(\.\d+)? MiB resident', text),
          'the memory figures are stated as measured')
    # Stopping: preStop, then SIGTERM and the drain, all inside the grace period.
    pre = c['lifecycle']['preStop']['exec']['command']
    pre_s = int(pre[-1]) if pre[0] == 'sleep' else 0
    drain = int(env.get('WIRETAG_DRAIN', image['env'].get('WIRETAG_DRAIN', '10')))
    check(pod['terminationGracePeriodSeconds'] > pre_s + drain,
          'terminationGracePeriodSeconds %s > preStop %d s + drain %d s' % (
              pod['terminationGracePeriodSeconds'], pre_s, drain))
    mounts = {m['name']: m['mountPath'] for m in c['volumeMounts']}
    vols = {v['name']: v for v in pod['volumes']}
    data_vol = [n for n, p in mounts.items() if p == env.get('WIRETAG_DATA')]
    check(data_vol and vols[data_vol[0]].get('configMap', {}).get('name') ==
          docs['ConfigMap']['metadata']['name'], 'the ConfigMap is mounted at WIRETAG_DATA')
    sel = dep['spec']['selector']['matchLabels']
    svc, pdb, hpa = docs['Service'], docs['PodDisruptionBudget'], docs['HorizontalPodAutoscaler']
    for what, s in (('Deployment', sel), ('Service', svc['spec']['selector']),
                    ('PodDisruptionBudget', pdb['spec']['selector']['matchLabels'])):
        check(s and all(labels.get(k) == v for k, v in s.items()),
              'the %s selector matches the pods' % what)
    check(all(p['targetPort'] in ports for p in svc['spec']['ports']), 'Service targets http')
    check(hpa['apiVersion'] == 'autoscaling/v2' and hpa['spec']['scaleTargetRef']['name'] ==
          dep['metadata']['name'], 'the autoscaler scales the Deployment')
    check(pdb['spec'].get('maxUnavailable', 1) < hpa['spec']['minReplicas'] and
          hpa['spec']['minReplicas'] <= dep['spec']['replicas'] <= hpa['spec']['maxReplicas'],
          'the disruption budget leaves pods serving')
    kust = load_yaml(os.path.join(K8S, 'kustomization.yaml'))[0]
    check(sorted(kust['resources']) == sorted(os.path.basename(f) for f in k8s_manifests()),
          'kustomization.yaml lists every manifest')


def check_compose_consistency(image, haproxy_text):
    compose = load_yaml(os.path.join(DOCKER, 'compose.yaml'))[0]
    services = compose['services']
    replicas = sorted(n for n in services if n.startswith('wiretag'))
    check(len(replicas) == 3, 'three wiretag replicas: %r' % replicas)
    servers = re.findall(r'^\s*server \S+ (\S+):(\d+)', haproxy_text, re.M)
    check(sorted(h for h, _ in servers) == replicas and all(p == '8080' for _, p in servers),
          'haproxy balances the replicas on 8080: %r' % servers)
    for name in replicas:
        s = services[name]
        check(s['build']['dockerfile'] == 'docker/Dockerfile', '%s builds the image' % name)
        check(any(image['env'].get('WIRETAG_DATA') in v.split(':') for v in s.get('volumes', [])),
              '%s mounts the data layer' % name)
        grace = int(str(s.get('stop_grace_period', '10s')).rstrip('s'))
        drain = int(s.get('environment', {}).get('WIRETAG_DRAIN', 10))
        check(grace > drain, '%s: stop_grace_period %d s > drain %d s' % (name, grace, drain))
    hp = services.get('haproxy', {})
    check(any('haproxy.cfg' in v for v in hp.get('volumes', [])), 'haproxy gets haproxy.cfg')


def main():
    build_dir = os.path.dirname(os.path.abspath(BIN))
    check_yamllint()
    check_compose_schema()
    check_k8s_schemas(build_dir)
    haproxy_text = check_haproxy()
    image = check_dockerfile(build_dir)
    if image:
        check_k8s_consistency(image)
        check_compose_consistency(image, haproxy_text)
    done('deploy')


main()
