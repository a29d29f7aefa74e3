import sys

from bench.bigbook.cli import main

sys.exit(main())
