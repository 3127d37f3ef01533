"""DfE Employer Skills Survey 2017 (England): vacancies, hard-to-fill and skill-shortage
vacancies, skills gaps and employment by SOC 2010 major group, for England, the LEPs and the
local authorities (and regions summed from them)."""

from lmi.datasets.employer_skills_survey.parse import EMPLOYER_SKILLS_SURVEY

__all__ = ["EMPLOYER_SKILLS_SURVEY"]
