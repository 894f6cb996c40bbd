"""The schemas of ``/api/v1/measurements``: documentation of the body (the checks are the shared
submission path's), and the responses, which they also serialize."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from contracts import periods
from scorecards.models import MEASUREMENT_STATUSES


class MeasurementInSchema(Schema):
    agreement = fields.String(required=True, metadata={"description": "Agreement ref"})
    metric = fields.String(required=True, metadata={"description": "Metric code"})
    service = fields.String(
        allow_none=True,
        metadata={"description": "Service code; optional where the agreement covers one"},
    )
    period = fields.String(required=True, metadata={"description": "Month, YYYY-MM"})
    value = fields.Raw(
        required=True,
        metadata={
            "description": 'A JSON number or a decimal string ("99.95"); within the metric\'s '
            "sane range (0 to 100 for %, not negative for durations)",
            "oneOf": [{"type": "number"}, {"type": "string"}],
        },
    )
    comment = fields.String(allow_none=True, metadata={"description": "At most 4000 characters"})


class EvidenceSchema(Schema):
    filename = fields.String(required=True, metadata={"description": "The original filename"})
    size = fields.Integer(required=True, metadata={"description": "In bytes"})
    content_type = fields.String(required=True)
    url = fields.String(
        required=True,
        metadata={
            "format": "uri",
            "description": "Download address (GET with the same bearer token; "
            "404 for anyone who may not see the figure)",
        },
    )


class MeasurementSchema(Schema):
    id = fields.Integer(required=True)
    agreement = fields.String(required=True)
    metric = fields.String(required=True)
    service = fields.String(required=True)
    period = fields.String(required=True)
    revision = fields.Integer(required=True)
    value = fields.Decimal(required=True, metadata={"description": "Rounded half-up to 2 places"})
    comment = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(MEASUREMENT_STATUSES))
    reject_reason = fields.String(required=True)
    late = fields.Boolean(required=True)
    submitted_at = fields.DateTime(required=True)
    reviewed_at = fields.DateTime(allow_none=True)
    superseded = fields.Boolean(
        required=True,
        metadata={
            "description": "A submitted revision that a later revision (not rejected) of the "
            "same target and month replaces: it is no longer reviewed (409)"
        },
    )
    evidence = fields.Nested(
        EvidenceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The evidence file, or null when none was sent"},
    )


class SubmittedSchema(Schema):
    items = fields.List(fields.Nested(MeasurementSchema), required=True)
    count = fields.Integer(required=True)
    late = fields.Integer(required=True, metadata={"description": "How many arrived late"})


WHOLE_NUMBER = {"invalid": _l("must be a whole number")}
REQUIRED = {"required": _l("is required")}


class MeasurementQuerySchema(Schema):
    agreement = fields.String(metadata={"description": "Agreement ref"})
    period = fields.String(
        validate=validate.Regexp(f"^{periods.PATTERN}$", error=periods.MONTH_MESSAGE),
        metadata={"description": "Month, YYYY-MM"},
    )
    status = fields.String(
        validate=validate.OneOf(MEASUREMENT_STATUSES, error=_l("must be one of {choices}"))
    )
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, error=_l("must be at least {min}")),
        error_messages=WHOLE_NUMBER,
    )
    per_page = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=500, error=_l("must be from {min} to {max}")),
        error_messages=WHOLE_NUMBER,
    )


class MeasurementPageSchema(Schema):
    items = fields.List(fields.Nested(MeasurementSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


class RejectSchema(Schema):
    reason = fields.String(
        required=True,
        error_messages=REQUIRED,
        metadata={"description": "Why; the supplier sees it. Required."},
    )


class DecisionSchema(Schema):
    ids = fields.List(
        fields.Integer(error_messages=WHOLE_NUMBER),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, max=1000, error=_l("must list from {min} to {max} ids")),
    )
    decision = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.OneOf(("accept", "reject"), error=_l("must be one of {choices}")),
    )
    reason = fields.String(metadata={"description": "Required to reject"})


class ReviewedSchema(Schema):
    items = fields.List(fields.Nested(MeasurementSchema), required=True)


EVIDENCE_FILE = {
    "description": "The file as it was uploaded, with its original filename",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}

SUBMIT_BODY = {
    "required": True,
    "description": "One figure, or a list of figures stored all or nothing.",
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    MeasurementInSchema,
                    {"type": "array", "minItems": 1, "items": MeasurementInSchema},
                ]
            },
            "example": [
                {
                    "agreement": "UC-HUAWEI-NET",
                    "metric": "AVAIL",
                    "period": "2026-06",
                    "value": "99.95",
                    "comment": "",
                },
                {
                    "agreement": "UC-HUAWEI-NET",
                    "metric": "P1_RESOLVE",
                    "service": "NET",
                    "period": "2026-06",
                    "value": 3.5,
                    "comment": "one P1 on the 14th",
                },
            ],
        }
    },
}
