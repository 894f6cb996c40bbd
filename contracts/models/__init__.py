"""The contracts domain's tables."""

from contracts.models.agreements import (
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    CONTRACT_CONTENTS,
    SUPPLIER_AGREEMENT_KINDS,
    Agreement,
    Link,
    Target,
    agreement_services,
)
from contracts.models.governance import (
    ACTION_SOURCES,
    ACTION_STATUSES,
    DISPUTE_STATUSES,
    REVIEW_OUTCOMES,
    ChangeRecord,
    Dispute,
    DisputeMessage,
    ImprovementAction,
    Review,
)
from contracts.models.reference import (
    COMPOSITIONS,
    DIRECTIONS,
    Customer,
    Metric,
    Service,
)
from contracts.models.suppliers import (
    SUPPLIER_CATEGORIES,
    SUPPLIER_KINDS,
    Supplier,
    SupplierContact,
)

__all__ = [
    "ACTION_SOURCES",
    "ACTION_STATUSES",
    "AGREEMENT_KINDS",
    "AGREEMENT_STATUSES",
    "COMPOSITIONS",
    "CONTRACT_CONTENTS",
    "DIRECTIONS",
    "DISPUTE_STATUSES",
    "REVIEW_OUTCOMES",
    "SUPPLIER_AGREEMENT_KINDS",
    "SUPPLIER_CATEGORIES",
    "SUPPLIER_KINDS",
    "Agreement",
    "ChangeRecord",
    "Customer",
    "Dispute",
    "DisputeMessage",
    "ImprovementAction",
    "Link",
    "Metric",
    "Review",
    "Service",
    "Supplier",
    "SupplierContact",
    "Target",
    "agreement_services",
]
