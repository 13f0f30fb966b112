"""Execute a notebook headless on an extraction: `python -m extract.outputs.notebook NB --out OUT`.

`make notebooks` and the test suite run notebooks/explore.ipynb this way, so that a
notebook that no longer runs against the current tables fails like any other test.
The kernel is this interpreter (the project's .venv, with ipykernel from the `notebook`
extra), whatever kernels a user has installed elsewhere.  OUT reaches the notebook's
first cell through $LIBSTAT_OUT, and the kernel works in the executed copy's folder, so
the charts the notebook saves land next to that copy.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

KERNEL = "libstat-python"


def executed_path(src: Path) -> Path:
    """notebooks/explore.ipynb → notebooks/explore.executed.ipynb"""
    return src.with_name(src.stem + ".executed.ipynb")


def execute_notebook(src: str | Path, out: str | Path, dst: str | Path | None = None, timeout: int = 600) -> Path:
    """Run every cell; write the executed copy (also when a cell fails, so that the error
    can be read in it) and raise nbclient's CellExecutionError on the first failing cell."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    src = Path(src)
    dst = Path(dst) if dst else executed_path(src)
    dst.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(src, as_version=4)
    with tempfile.TemporaryDirectory(prefix="libstat-kernel-") as kdir:
        spec = Path(kdir) / KERNEL
        spec.mkdir()
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (libstat)", "language": "python",
            "env": {"LIBSTAT_OUT": str(Path(out).resolve()), "MPLBACKEND": "module://matplotlib_inline.backend_inline"},
        }))
        # IPC: the kernel talks over Unix sockets in a private folder, not TCP ports
        km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[kdir]),
                           transport="ipc", ip=str(Path(kdir) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(dst.parent.resolve())}})
        try:
            client.execute()
        finally:
            nbformat.write(nb, dst)
            if km.has_kernel:  # nbclient stops only kernels it started itself
                km.shutdown_kernel()
    return dst


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m extract.outputs.notebook", description=__doc__.splitlines()[0])
    p.add_argument("notebook", help="the notebook to run (notebooks/explore.ipynb)")
    p.add_argument("--out", default="out", help="the extraction the notebook reads (default: out)")
    p.add_argument("--executed", help="where to write the executed copy (default: NAME.executed.ipynb beside it)")
    args = p.parse_args(argv)
    from nbclient.exceptions import CellExecutionError

    if not Path(args.out).is_dir():
        print(f"{p.prog}: {args.out} is not an extraction folder (run `libstat extract ... -o {args.out}`)", file=sys.stderr)
        return 1
    try:
        dst = execute_notebook(args.notebook, args.out, args.executed)
    except CellExecutionError as exc:
        print(f"{p.prog}: a cell failed; the executed copy holds the traceback\n{exc}", file=sys.stderr)
        return 1
    print(f"{dst}: executed on {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
