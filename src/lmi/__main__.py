from lmi.cli import main

main()
