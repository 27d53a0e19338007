"""The reference churn predictor: the FastAPI service a Python team would deploy instead of churn-serving.

The same request and answer as churn-serving's POST /predict, Pydantic validation, an X-API-Key check, a correlation
ID per request in every JSON log line, and a model loaded once at start. Pydantic v1 and FastAPI 0.92, as Debian 12
packages them; served by gunicorn with uvicorn workers (../run.sh). README's side-by-side figures measure against it.
"""
import json, logging, os, pickle, sys, time, uuid
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Literal, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from pydantic import BaseModel, Field, validator

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from train import features  # noqa: E402

correlation_id: ContextVar[str] = ContextVar("correlation_id", default="")

class JSONFormatter(logging.Formatter):
    def format(self, record):
        return json.dumps({"timestamp": self.formatTime(record), "level": record.levelname,
                           "logger": record.name, "message": record.getMessage(),
                           "correlation_id": correlation_id.get(""), **getattr(record, "fields", {})})

handler = logging.StreamHandler(sys.stdout); handler.setFormatter(JSONFormatter())
logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), handlers=[handler])
logger = logging.getLogger("app.predict")

class PredictRequest(BaseModel):
    tenure_months: int = Field(..., ge=1, le=120)
    monthly_charges: float = Field(..., gt=0.0, le=1000.0)
    contract_type: Literal["month-to-month", "one_year", "two_year"]
    num_products: int = Field(..., ge=1, le=8)
    internet_service: Literal["DSL", "Fiber", "None"] = "DSL"

    @validator("monthly_charges")
    def charges_reasonable(cls, v):
        if v < 18.0:
            raise ValueError(f"monthly_charges={v} is below our minimum plan of $18")
        return round(v, 2)

class PredictResponse(BaseModel):
    churn_probability: float
    churn_prediction: bool
    risk_tier: Literal["low", "medium", "high"]
    model_version: str
    predicted_at: datetime
    recommendation: str

app = FastAPI(title="Churn Predictor API", version="2.1.0")

@app.on_event("startup")
def load():
    base = os.path.join(os.path.dirname(os.path.dirname(__file__)), "artifacts")
    with open(os.path.join(base, "model.pkl"), "rb") as f: app.state.model = pickle.load(f)
    with open(os.path.join(base, "scaler.pkl"), "rb") as f: app.state.scaler = pickle.load(f)
    app.state.model_version = "v2.1.0"

@app.middleware("http")
async def correlate(request: Request, call_next):
    correlation_id.set(request.headers.get("x-request-id") or uuid.uuid4().hex[:16])
    response = await call_next(request)
    response.headers["X-Request-ID"] = correlation_id.get()
    return response

async def require_api_key(x_api_key: Optional[str] = Header(None)):
    if x_api_key not in set(os.environ.get("API_KEYS", "dev-key").split(",")):
        raise HTTPException(401, "Invalid or missing API key")

RECOMMEND = {"high": "Immediate retention offer — 20% discount",
             "medium": "Proactive check-in call within 7 days",
             "low": "Standard engagement — no action required"}

@app.post("/predict", response_model=PredictResponse, dependencies=[Depends(require_api_key)])
def predict(req: PredictRequest, request: Request):
    start = time.perf_counter()
    x = request.app.state.scaler.transform([features(req.tenure_months, req.monthly_charges,
                                                     req.contract_type, req.num_products, req.internet_service)])
    p = float(request.app.state.model.predict_proba(x)[0][1])
    tier = "high" if p >= 0.6 else "medium" if p >= 0.3 else "low"
    logger.info("prediction.complete", extra={"fields": {"churn_probability": round(p, 4),
                "duration_ms": round((time.perf_counter() - start) * 1000, 3)}})
    return PredictResponse(churn_probability=p, churn_prediction=p >= 0.5, risk_tier=tier,
                           model_version=request.app.state.model_version,
                           predicted_at=datetime.now(timezone.utc), recommendation=RECOMMEND[tier])

@app.get("/health")
def health():
    return {"status": "healthy"}
