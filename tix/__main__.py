from tix.cli.app import main

main()
