"""``python -m pufa`` runs the command-line tool."""

from pufa.cli.app import main

main()
