"""The web application for appraisal teams (``commune-health serve``): pages, uploads, sign-in."""
