"""``python -m musestudio.ml.train --model markov|seq2seq|transformer``: the Continue engines' trainer."""

from musestudio.ml.train.continuation import main

raise SystemExit(main())
