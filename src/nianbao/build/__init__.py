"""A corpus build (`nianbao build`): many documents read under guards, cached, packaged and published together.

    driver    reports folder → records (cached) → OUT/datapackages + OUT/site, swapped in at the end
    executor  where documents are read: this process, a local process pool or a Dask cluster
    cache     records kept under OUT/build/cache/, keyed by the file, its name and the extraction code
    state     fingerprints of the live output (OUT/build/state/) and the swap of the output folders
    add       `nianbao add`: one new report copied in, its manifest row written, what was detected

One document alone is `nianbao.extract`; this package only drives it.
"""
