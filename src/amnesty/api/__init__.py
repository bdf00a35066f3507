"""The HTTP API under `/api` (FastAPI), described by `/openapi.json`."""

from fastapi import APIRouter, Depends

from amnesty.api import routes_admin, routes_auth, routes_cases, routes_jobs, routes_records, routes_work
from amnesty.api.common import reject_unstorable

api_router = APIRouter(prefix="/api", dependencies=[Depends(reject_unstorable)])
for _module in (routes_admin, routes_auth, routes_records, routes_cases, routes_work, routes_jobs):
    api_router.include_router(_module.router)

__all__ = ["api_router"]
