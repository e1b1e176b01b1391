# Shared by scripts/shell, scripts/test and scripts/check (sourced, not run): make sure .venv
# exists and holds an up-to-date editable install of this checkout.
#
#   ensure_venv base   # the package and its runtime dependencies      (pip install -e .)
#   ensure_venv test   # plus the test and lint tools                   (pip install -e '.[test]')
#
# The install is "strict" editable: only files that existed at install time are importable, so
# it is redone whenever pyproject.toml or the set of package files changes. A stamp per flavour
# (.venv/.cloneshell-install-<flavour>) holds a hash of pyproject.toml and that file list.
# Expects the current directory to be the repository root.

_venv_say() { printf '%s\n' "$*" >&2; }

_venv_python() {
    # The interpreter to build .venv from: $PYTHON, else python3; it must be 3.11 or newer.
    local py="${PYTHON:-python3}"
    if ! command -v "$py" >/dev/null 2>&1; then
        _venv_say "cloneshell needs Python 3.11 or newer, and '$py' was not found (set PYTHON=...)."
        exit 1
    fi
    if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
        _venv_say "cloneshell needs Python 3.11 or newer; '$py' is $("$py" -V 2>&1)."
        _venv_say "Install Python 3.11+ or point PYTHON at one (PYTHON=python3.12 $0)."
        exit 1
    fi
    printf '%s\n' "$py"
}

_venv_stamp() {
    # What the install depends on: pyproject.toml's content and which package files exist.
    {
        cat pyproject.toml
        find grammar engine shell server -type f \
            \( -name '*.py' -o -name '*.lark' -o -name 'py.typed' \) \
            -not -path '*/__pycache__/*' | LC_ALL=C sort
    } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local flavour="$1" spec
    case "$flavour" in
        base) spec="." ;;
        test) spec=".[test]" ;;
        *) _venv_say "ensure_venv: unknown flavour '$flavour'"; exit 2 ;;
    esac
    if ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
        >/dev/null 2>&1; then
        local py
        py="$(_venv_python)"
        _venv_say "Creating .venv with $py ($("$py" -V 2>&1))"
        rm -rf .venv
        if ! "$py" -m venv .venv; then
            _venv_say "Could not create .venv: '$py -m venv' failed (on Debian: apt-get install python3-venv)."
            exit 1
        fi
    fi
    local stamp current
    current="$(_venv_stamp)"
    # A test install also satisfies a base one.
    for stamp in ".venv/.cloneshell-install-$flavour" ".venv/.cloneshell-install-test"; do
        if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$current" ]; then
            return 0
        fi
    done
    _venv_say "Installing cloneshell ($spec) into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        -e "$spec" --config-settings editable_mode=strict >&2
    compile_package
    printf '%s\n' "$current" > ".venv/.cloneshell-install-$flavour"
}

compile_package() {
    # pip compiles a regular install's modules to bytecode, but not an editable one's: without
    # this, every run compiles cloneshell's ~100 modules again wherever bytecode is not written
    # (PYTHONDONTWRITEBYTECODE, a read-only checkout), ~50 ms of `cloneshell -e`. An edited
    # module's bytecode goes stale and is simply recompiled by Python.
    .venv/bin/python -c 'import cloneshell, compileall, sys
sys.exit(not all(compileall.compile_dir(p, quiet=1, workers=0) for p in cloneshell.__path__))' \
        >/dev/null
}

ensure_client_venv() {
    # .venv-<flavour>: a real client whose dependencies conflict with .venv's (connector 5.x,
    # the Snowflake CLI, dbt-snowflake), installed from tests/server/clients/<flavour>.txt.
    # The tests run its programs against a server in .venv. Stamped by the file's hash, so it
    # is installed once and again only when the pins change.
    local flavour="$1" dir=".venv-$1" pins="tests/server/clients/$1.txt" current
    current="$(sha256sum "$pins" | cut -d' ' -f1)"
    if [ -f "$dir/.cloneshell-client" ] && [ "$(cat "$dir/.cloneshell-client")" = "$current" ] \
        && "$dir/bin/python" -c '' >/dev/null 2>&1; then
        return 0
    fi
    local py
    py="$(_venv_python)"
    _venv_say "Creating $dir ($(grep -v '^#' "$pins" | tr '\n' ' '))"
    rm -rf "$dir"
    "$py" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins" >&2
    printf '%s\n' "$current" > "$dir/.cloneshell-client"
}
