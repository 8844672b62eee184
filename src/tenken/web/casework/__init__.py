"""The site's casework pages (総点検の事案): thin views over tenken.store.casework."""
