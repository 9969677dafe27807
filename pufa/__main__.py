"""``python -m pufa`` runs the command-line tool."""

from pufa.cli.entry import main

main()
