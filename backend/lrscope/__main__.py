from lrscope.cli import main

raise SystemExit(main())
