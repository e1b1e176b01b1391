"""The dialect-neutral engine: session, statement context, dispatch, warehouse files, catalog,
storage, results and errors."""
