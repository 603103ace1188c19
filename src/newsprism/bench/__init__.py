"""Benchmarks and generated data: ``corpus`` (a template-generated news corpus of any size),
``devset`` (manipulated clusters for ``eval suspicion``) and ``run`` (``newsprism bench``)."""
