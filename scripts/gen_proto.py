"""Generate the Python code of proto/ into libs/api/src (committed), or check it has not drifted.

    uv run python scripts/gen_proto.py          # regenerate
    uv run python scripts/gen_proto.py --check  # exit 1 if the committed code differs
"""

from __future__ import annotations

import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO = ROOT / "proto"
OUT = ROOT / "libs" / "api" / "src"


def generate(out: Path) -> None:
    files = sorted(str(p.relative_to(PROTO)) for p in PROTO.rglob("*.proto"))
    include = Path(protoc.__file__).parent / "_proto"
    code = protoc.main(["protoc", f"-I{PROTO}", f"-I{include}", f"--python_out={out}",
                        f"--pyi_out={out}", f"--grpc_python_out={out}", *files])
    if code != 0:
        raise SystemExit(f"protoc failed with exit code {code}")


def tree(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def main() -> int:
    if "--check" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            fresh, committed = tree(Path(tmp)), tree(OUT / "lienthong" / "api")
            fresh = {k.removeprefix("lienthong/api/"): v for k, v in fresh.items()}
            drift = sorted(set(fresh) ^ set(committed))
            drift += sorted(k for k in set(fresh) & set(committed)
                            if not filecmp.cmp(fresh[k], committed[k], shallow=False))
            if drift:
                print("generated code is out of date; run scripts/gen_proto.py:", *drift, sep="\n  ")
                return 1
            print(f"generated code is up to date ({len(fresh)} files)")
            return 0
    shutil.rmtree(OUT / "lienthong" / "api", ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    generate(OUT)
    print(f"generated into {OUT / 'lienthong' / 'api'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
