"""O*NET 29.0 descriptor files: ratings (skills, knowledge, abilities, work activities, work
styles, work values, interests), job zones, education and training, technology skills, task
statements, related occupations, and the content-model and scale references."""

from lmi.datasets.onet_descriptors.files import (
    ONET_EDUCATION,
    ONET_JOB_ZONES,
    ONET_REFERENCE,
    ONET_RELATED_OCCUPATIONS,
    ONET_TASKS,
    ONET_TECHNOLOGY_SKILLS,
)
from lmi.datasets.onet_descriptors.ratings import RATING_DATASETS

ONET_SKILLS = RATING_DATASETS["skills"]
ONET_KNOWLEDGE = RATING_DATASETS["knowledge"]
ONET_ABILITIES = RATING_DATASETS["abilities"]
ONET_WORK_ACTIVITIES = RATING_DATASETS["work_activities"]
ONET_WORK_STYLES = RATING_DATASETS["work_styles"]
ONET_WORK_VALUES = RATING_DATASETS["work_values"]
ONET_INTERESTS = RATING_DATASETS["interests"]

#: in load order (each needs onet_occupations of the same release, except the reference)
ONET_DESCRIPTORS = (
    ONET_REFERENCE,
    ONET_SKILLS,
    ONET_KNOWLEDGE,
    ONET_ABILITIES,
    ONET_WORK_ACTIVITIES,
    ONET_WORK_STYLES,
    ONET_WORK_VALUES,
    ONET_INTERESTS,
    ONET_JOB_ZONES,
    ONET_EDUCATION,
    ONET_TECHNOLOGY_SKILLS,
    ONET_TASKS,
    ONET_RELATED_OCCUPATIONS,
)

__all__ = [
    "ONET_ABILITIES",
    "ONET_DESCRIPTORS",
    "ONET_EDUCATION",
    "ONET_INTERESTS",
    "ONET_JOB_ZONES",
    "ONET_KNOWLEDGE",
    "ONET_REFERENCE",
    "ONET_RELATED_OCCUPATIONS",
    "ONET_SKILLS",
    "ONET_TASKS",
    "ONET_TECHNOLOGY_SKILLS",
    "ONET_WORK_ACTIVITIES",
    "ONET_WORK_STYLES",
    "ONET_WORK_VALUES",
]
