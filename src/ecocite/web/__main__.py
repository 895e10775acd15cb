from ecocite.web.serve import main

main()
