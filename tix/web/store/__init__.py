"""The storefront: server-rendered pages for buyers (tix serve). One module per page area;
`routes.router` gathers them."""
