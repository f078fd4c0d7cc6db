"""Entry script of the frozen app: ``musestudio`` is ``python -m musestudio``, ``musestudio-cli`` is
``python -m musestudio.cli``.

The bundle has one executable (a second would repeat the whole analysis and archive); ``musestudio-cli`` is
a link to it beside it, and the name it was started under picks the entry point, as the two commands of a
``pip install`` do. So a musician who installed the bundle has the README's ``musestudio-cli`` commands too.
"""

import multiprocessing
import sys
from pathlib import Path

CLI_NAME = "musestudio-cli"


def main() -> int:
    multiprocessing.freeze_support()  # a worker process started by either command runs here and ends
    if Path(sys.argv[0]).name == CLI_NAME:
        from musestudio.cli import main as cli_main

        return cli_main()
    from musestudio.__main__ import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
