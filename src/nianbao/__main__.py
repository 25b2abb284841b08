from nianbao.cli import main

main()
