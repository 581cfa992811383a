"""`kg serve`: the SPARQL endpoint, the query page, the dossier overview and dereferenceable IRIs.

Modules: sparql (checks on queries, content negotiation, result writers), worker (the processes that hold
the store and run queries), pool (the pool of workers, time limits), pages (data for the HTML pages),
app (the Starlette application and its routes). Templates and static assets are served from this package:
nothing is fetched from elsewhere, so the endpoint works offline.
"""
