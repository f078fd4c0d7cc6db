"""Every test runs with its own data and settings folders, never the user's.

A developer's machine holds learned styles, a taste file and recovery copies under the real user data
folder; a test that lists styles or reads the taste model must see what the test set up, and no test may
write into the user's folders. Subprocesses inherit the variables. ``tests/ui/conftest.py`` narrows this
further to one folder per UI test.

``language`` installs the app's translators for the language a test is parametrized with (indirectly), for
the window's tests and the MIDI ones that open it alike.
"""

from __future__ import annotations

import os

import pytest
from tqdm import tqdm


@pytest.fixture(autouse=True, scope="session")
def private_user_folders(tmp_path_factory):
    home = tmp_path_factory.mktemp("user")
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "MUSESTUDIO_WORKERS")}
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    # the parts engine decodes its variations in this process unless a test asks for workers: a test's
    # speed and its processes then do not depend on how busy the machine is (tests/ml/generate/
    # test_parts_workers.py runs them)
    os.environ["MUSESTUDIO_WORKERS"] = "1"
    # tqdm's monitor thread (started by the first progress bar, e.g. a cache build) would outlive its test;
    # with another thread alive the parts engine rightly refuses to fork, and the workers' tests need none
    tqdm.monitor_interval = 0
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def language(qapp, request):
    """The translators the app installs for the language a test is parametrized with (indirectly)."""
    from musestudio.app import install_translators

    translators = install_translators(qapp, request.param)
    yield request.param
    for translator in translators:
        qapp.removeTranslator(translator)
