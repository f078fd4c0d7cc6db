"""``python -m musestudio.ml.data build|stats``: build the corpus cache or print its statistics."""

from musestudio.ml.data.cache import main

raise SystemExit(main())
