"""Surveys of a consultation process: questions built in the browser, answers, results."""
